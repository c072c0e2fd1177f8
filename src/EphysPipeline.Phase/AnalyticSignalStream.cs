using System.Numerics;
using EphysPipeline.Core;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Phase;

/// <summary>
/// Receives analytic-signal blocks (views of the stream's buffers, valid during the call), starting at sample
/// <paramref name="firstSample"/> of the current run. <paramref name="runEnd"/> is the run's length on the run's
/// last block and <see cref="AnalyticSignalStream.RunEndUnknown"/> before it, so a consumer with a longer trim than
/// the stream's can drop its own edge zones: it keeps [trim, runEnd − trim).
/// </summary>
public delegate void AnalyticBlockHandler(AnalyticBlock block, long firstSample, long runEnd);

/// <summary>
/// Streams the analytic signal of a contiguous run of band-passed samples (several channels at once) with bounded
/// memory. A run of at most <see cref="WindowLength"/> samples is transformed whole, at its own length: exactly
/// scipy.signal.hilbert over the run. A longer run is transformed in windows of <see cref="WindowLength"/> samples,
/// each output sample with at least <see cref="Margin"/> samples of context on both sides (less only near the
/// run's ends). The imaginary part is the Hilbert transform by real FFTs (−i on the positive frequencies, DC and
/// Nyquist zero); the real part is the input itself.
/// The first and last <see cref="Trim"/> samples of a run are never emitted: consumers see [Trim, runLength − Trim).
/// No sample within <see cref="LongestTrim"/> of the run's end is emitted before the run is complete, so consumers
/// with trims up to that can drop their own edge zones (see <see cref="AnalyticBlockHandler"/>).
/// A gap (artifact-rejected stretch, epoch boundary) is <see cref="CompleteRun"/> then new appends.
/// </summary>
public sealed class AnalyticSignalStream : IDisposable
{
    /// <summary>The <c>runEnd</c> of blocks before a run's last one.</summary>
    public const long RunEndUnknown = long.MaxValue;

    /// <summary>Samples per channel handed to the handler at once.</summary>
    public const int EmitBlock = 8192;

    /// <summary>Memory for the windows when neither a window length nor a budget is given: 128 MiB.</summary>
    public const long DefaultMemoryBytes = 128L << 20;

    // Bytes per channel and window sample: the input and its Hilbert transform.
    private const int BytesPerSample = 2 * sizeof(double);

    private readonly IFftProvider _fft;
    private readonly AnalyticBlockHandler _handler;
    private readonly int _parallelism;
    private readonly Worker[] _workers;   // transforms of WindowLength, one per thread; created on the first full window
    private double[] _input = [];         // channel-major, _capacity per channel
    private double[] _hilbert = [];       // same layout: the imaginary part
    private int _capacity;
    private long _bufferStart;            // run sample index of _input[ch * _capacity]
    private int _filled;
    private long _nextOutput;             // first run sample not yet emitted

    /// <param name="channels">Channels of every appended block.</param>
    /// <param name="trim">Samples left out at both ends of every run.</param>
    /// <param name="fft">FFT backend.</param>
    /// <param name="handler">Receives the emitted blocks.</param>
    /// <param name="windowLength">Longest run transformed whole, and the window of longer runs; default from
    /// <paramref name="memoryBytes"/>.</param>
    /// <param name="margin">Context on both sides of every output sample of a windowed run; default an eighth of the window.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the transforms; does not change any result bit.</param>
    /// <param name="longestTrim">The longest trim of any consumer (at least <paramref name="trim"/>).</param>
    /// <param name="memoryBytes">Bound on the window buffers when <paramref name="windowLength"/> is not given.</param>
    public AnalyticSignalStream(int channels, int trim, IFftProvider fft, AnalyticBlockHandler handler,
        int? windowLength = null, int? margin = null, int maxDegreeOfParallelism = 1, int? longestTrim = null, long? memoryBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(trim);
        int longest = longestTrim ?? trim;
        ArgumentOutOfRangeException.ThrowIfLessThan(longest, trim, nameof(longestTrim));
        int window = windowLength ?? DefaultWindowLength(channels, longest, memoryBytes ?? DefaultMemoryBytes);
        int context = margin ?? window / 8;
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 0, nameof(margin));
        // A sample is emitted once LookAhead samples follow it, so no consumer's end zone is emitted early.
        int lookAhead = Math.Max(context, longest);
        if (window <= context + lookAhead)
            throw new ArgumentOutOfRangeException(nameof(windowLength), $"window {window} must exceed margin {context} + max(margin, trim {longest})");
        Channels = channels;
        Trim = trim;
        LongestTrim = longest;
        WindowLength = window;
        Margin = context;
        LookAhead = lookAhead;
        _fft = fft;
        _handler = handler;
        _parallelism = Math.Min(maxDegreeOfParallelism, channels);
        _workers = new Worker[_parallelism];
        _nextOutput = trim;
    }

    public int Channels { get; }
    public int Trim { get; }
    public int LongestTrim { get; }
    public int WindowLength { get; }
    public int Margin { get; }

    /// <summary>Samples that must follow a sample before it is emitted: max(Margin, LongestTrim).</summary>
    public int LookAhead { get; }

    /// <summary>
    /// The window that keeps the buffers (16 bytes per channel and sample) within <paramref name="memoryBytes"/>: a
    /// power of two, at least 16384 and at least enough for the windows' margins next to a <paramref name="trim"/>.
    /// </summary>
    public static int DefaultWindowLength(int channels, int trim, long memoryBytes)
    {
        long fits = memoryBytes / ((long)BytesPerSample * channels);
        long window = fits >= 16384 ? (long)BitOperations.RoundUpToPowerOf2((ulong)fits + 1) / 2 : 16384;
        // Margin an eighth of the window, look-ahead max(margin, trim): the window must exceed both.
        while (window / 8 + Math.Max(window / 8, trim) >= window) window *= 2;
        return (int)Math.Min(window, 1 << 30);
    }

    /// <summary>Samples of the current run appended so far.</summary>
    public long RunLength => _bufferStart + _filled;

    /// <summary>Continues the run with <paramref name="count"/> samples per channel (channel-major block).</summary>
    public void Append(ReadOnlySpan<double> channelMajor, int count)
    {
        if (channelMajor.Length != (long)Channels * count)
            throw new ArgumentException($"block holds {channelMajor.Length} values, expected {Channels}×{count}");
        Append(channelMajor, count, 0, count);
    }

    /// <summary>
    /// Continues the run with <paramref name="count"/> samples per channel, channel c's at
    /// rows[c · stride + offset ..] (a window of longer rows, read in place).
    /// </summary>
    public void Append(ReadOnlySpan<double> rows, int stride, int offset, int count)
    {
        RowWindow.Check(rows, Channels, stride, offset, count);
        int done = 0;
        while (done < count)
        {
            if (_filled == _capacity) Grow(_filled + (count - done));
            int take = Math.Min(count - done, _capacity - _filled);
            CopyIn(rows, stride, offset + done, take);
            _filled += take;
            done += take;
            if (_filled == WindowLength) ProcessFullWindow();
        }
    }

    /// <summary>Ends the run: emits what remains (up to runLength − Trim) and starts a new, empty run.</summary>
    public void CompleteRun()
    {
        long runEnd = RunLength;
        long end = runEnd - Trim;
        if (end > _nextOutput && _filled > 0)
        {
            // A full window is processed as soon as it fills, so what is left is shorter: transform it at its own
            // length (the whole run, when it never filled a window).
            var tail = new Worker[_parallelism];
            try
            {
                for (int w = 0; w < tail.Length; w++) tail[w] = new Worker(_fft, _filled);
                Transform(tail, _filled);
            }
            finally
            {
                foreach (var w in tail) w?.Dispose();
            }
            Emit(_nextOutput, end, runEnd);
        }
        _bufferStart = 0;
        _filled = 0;
        _nextOutput = Trim;
    }

    // Buffers grow by doubling up to the window, so short runs never hold a whole window of memory.
    private void Grow(long needed)
    {
        int capacity = (int)Math.Min(WindowLength, Math.Max(Math.Max(16384, 2L * _capacity), needed));
        var input = new double[(long)Channels * capacity];
        var old = _input;
        int from = _capacity, filled = _filled;
        ForEachChannel(filled, ch => old.AsSpan(ch * from, filled).CopyTo(input.AsSpan(ch * capacity)));
        _input = input;
        _hilbert = new double[input.Length];
        _capacity = capacity;
    }

    private void ProcessFullWindow()
    {
        for (int w = 0; w < _workers.Length; w++) _workers[w] ??= new Worker(_fft, WindowLength);
        Transform(_workers, WindowLength);
        long end = _bufferStart + WindowLength - LookAhead;
        if (end > _nextOutput) Emit(_nextOutput, end, RunEndUnknown);
        // Keep what the next window needs: Margin samples of look-back before `end` and the look-ahead after it.
        int drop = WindowLength - LookAhead - Margin;
        int keep = LookAhead + Margin;
        ForEachChannel(keep, ch =>
        {
            var row = _input.AsSpan(ch * _capacity, _capacity);
            row.Slice(drop, keep).CopyTo(row);
        });
        _bufferStart += drop;
        _filled = keep;
    }

    // Channels are independent: each worker takes the next channel not yet taken; a channel's bits do not depend on
    // the worker (the same transform on each), so neither on the thread count.
    private void Transform(Worker[] workers, int length) =>
        WorkSplit.ForEachByWorker(workers.Length, Channels, (w, ch) =>
            workers[w].Hilbert(_input.AsSpan(ch * _capacity, length), _hilbert.AsSpan(ch * _capacity, length)));

    // Consumers read the window's planes in place, EmitBlock samples at a time.
    private void Emit(long from, long to, long runEnd)
    {
        int size = (int)Math.Min(EmitBlock, to - from);
        for (long first = from; first < to; first += size)
        {
            int count = (int)Math.Min(size, to - first);
            var block = new AnalyticBlock(_input, _hilbert, Channels, count, _capacity, (int)(first - _bufferStart));
            _handler(block, first, first + count >= to ? runEnd : RunEndUnknown);
        }
        _nextOutput = to;
    }

    /// <summary>Per-channel copies below this many samples in all stay on the calling thread.</summary>
    private const long ParallelCopySamples = 1 << 16;

    // The copies between the caller's block and the buffers are most of the stream's own work at many channels: they
    // run on the stream's threads, one channel per item.
    private void ForEachChannel(int samplesPerChannel, Action<int> body) =>
        WorkSplit.For(Channels, (long)samplesPerChannel * Channels < ParallelCopySamples ? 1 : _parallelism, body);

    private unsafe void CopyIn(ReadOnlySpan<double> rows, int stride, int offset, int take)
    {
        fixed (double* source = rows)
        {
            var from = (nint)source;
            ForEachChannel(take, ch =>
                new ReadOnlySpan<double>((double*)from + (long)ch * stride + offset, take).CopyTo(_input.AsSpan(ch * _capacity + _filled, take)));
        }
    }

    public void Dispose()
    {
        foreach (var w in _workers) w?.Dispose();
    }

    /// <summary>A real transform of one length.</summary>
    private sealed class Worker(IFftProvider fft, int length) : IDisposable
    {
        private readonly IRealFft _fft = fft.CreateReal(length);

        public void Hilbert(ReadOnlySpan<double> x, Span<double> output) => AnalyticSignal.Hilbert(x, output, _fft);

        public void Dispose() => _fft.Dispose();
    }
}
