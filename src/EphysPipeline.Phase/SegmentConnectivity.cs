using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EphysPipeline.Core;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral;

namespace EphysPipeline.Phase;

/// <summary>
/// Welch-segment connectivity for every channel pair a &lt; b (in <see cref="Pairs"/> order) at every bin of
/// <see cref="Frequencies"/>; arrays are [pair · bins + bin]. Definitions (S = X_a·conj(X_b) per segment,
/// ⟨·⟩ = mean over segments): Msc = |⟨S⟩|²/(⟨|X_a|²⟩⟨|X_b|²⟩) (scipy.signal.coherence); Coherence = √Msc and
/// ImaginaryCoherence = Im⟨S⟩/√(⟨|X_a|²⟩⟨|X_b|²⟩), Plv = |⟨S/|S|⟩|, Ciplv = |Im⟨S/|S|⟩|/√(1 − Re⟨S/|S|⟩²),
/// Pli = |⟨sign Im S⟩|, Wpli = |Σ Im S|/Σ|Im S|, Wpli2Debiased = ((Σ Im S)² − Σ(Im S)²)/((Σ|Im S|)² − Σ(Im S)²),
/// Ppc = (|Σ S/|S||² − n)/(n(n − 1)) (mne-connectivity's coh, imcoh, plv, ciplv, pli, wpli, wpli2_debiased, ppc).
/// </summary>
public sealed record SegmentConnectivityResult(
    int Segments, (int A, int B)[] Pairs, double[] Frequencies,
    double[] Msc, double[] Coherence, double[] ImaginaryCoherence, double[] Plv, double[] Ciplv, double[] Pli,
    double[] Wpli, double[] Wpli2Debiased, double[] Ppc, string? Reason)
{
    /// <summary>Index of the pair (a, b) in <see cref="Pairs"/>, −1 if absent.</summary>
    public int PairIndex(int a, int b)
    {
        int lo = Math.Min(a, b), hi = Math.Max(a, b);
        // Pairs are in (0,1), (0,2), …, (1,2), … order, so the index follows from a and b; a search for every pair
        // is quadratic (≈ 2.7·10⁹ comparisons per band for 384 channels). Search only if the order differs.
        if (Pairs.Length > 0 && lo >= 0 && lo < hi)
        {
            long channels = Pairs[^1].B + 1L;
            long index = lo * (2 * channels - lo - 1) / 2 + (hi - lo - 1);
            if (index < Pairs.Length && Pairs[index] == (lo, hi)) return (int)index;
        }
        return Array.IndexOf(Pairs, (lo, hi));
    }

    /// <summary>Mean of a per-bin metric over the bins with lo ≤ f ≤ hi, for one pair (NaN if no bin).</summary>
    public double BandMean(double[] metric, int pair, double lo, double hi)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < Frequencies.Length; k++)
        {
            if (Frequencies[k] < lo || Frequencies[k] > hi) continue;
            sum += metric[pair * Frequencies.Length + k];
            count++;
        }
        return count > 0 ? sum / count : double.NaN;
    }
}

/// <summary>
/// Per pair (in <see cref="Pairs"/> order), the mean of each <see cref="SegmentConnectivityResult"/> measure over a
/// frequency range's bins (<see cref="SegmentConnectivityAccumulator.BandMeans"/>); NaN for a pair with a bad
/// channel and for every pair when <see cref="Reason"/> is set.
/// </summary>
public sealed record SegmentConnectivityBandMeans(
    int Segments, (int A, int B)[] Pairs,
    double[] Msc, double[] Coherence, double[] ImaginaryCoherence, double[] Plv, double[] Ciplv, double[] Pli,
    double[] Wpli, double[] Wpli2Debiased, double[] Ppc, string? Reason);

/// <summary>
/// Streams contiguous runs into segments of <c>segmentLength</c> samples every <c>step</c> samples (a segment
/// never spans a gap: call <see cref="EndRun"/> at one), transforms each with the spectral engine's Welch
/// segment transform (mean removed, periodic Hann, FFT), and accumulates per-pair cross-spectral sums over the
/// chosen bins. A segment in which a good channel holds NaN/∞ is skipped for all pairs (counted in
/// <see cref="SkippedSegments"/>).
/// <para>Speed: each channel's segments are transformed straight from the appended block, in channel groups
/// spread over the threads. Segments are buffered (64 at most), then added to the sums in one pass, so each sum is read
/// and written once per batch rather than once per segment. The pass takes eight pairs (a, b..b+7) of one bin per
/// <see cref="Vector512{T}"/> and forms S/|S| as u_a·conj(u_b) from per-channel unit phasors u = X/|X| (no square
/// root or division per pair), in fixed (bin, row group) work items spread over the threads. Every cell is its own
/// lane and adds its segments in order, so neither the thread count nor the vector width changes a bit of the sums.</para>
/// <para>Memory: 56 bytes per pair and bin (seven sums), plus per channel one segment of samples and 2 KB per kept
/// bin of buffered spectra (about 20 % of the sums for 384 channels).</para>
/// </summary>
public sealed class SegmentConnectivityAccumulator : IDisposable
{
    // Segments buffered before they are added to the sums. The pass reads and writes the sums (56 bytes per cell)
    // once per batch: 1.75 bytes per cell and segment at 64, where the arithmetic takes ≈ 0.3 ns, so with several
    // threads (or a busy machine) it is not bound by memory bandwidth (measured on this 2-core machine under load:
    // 0.32 ns per cell and segment at 64, 0.33–0.64 ns at 32). A bin's buffered spectra, 2 KB per channel (790 KB
    // for 384 channels), still fit in L2.
    private const int Batch = 64;

    // The seven sums over segments, one plane each, laid out [plane][bin][pair].
    private const int CrossRe = 0, CrossIm = 1, UnitRe = 2, UnitIm = 3, SignImag = 4, AbsImag = 5, SquareImag = 6, Planes = 7;
    private const int Lanes = 8;
    // Buffered spectra: per bin, per block of eight channels, a panel [segment][re, im, unit re, unit im][lane], so
    // the pass over a block's segments reads memory in order.
    private const int PanelSegment = 4 * Lanes;
    private const int Panel = Batch * PanelSegment;

    private readonly int _segment;
    private readonly int _step;
    private readonly int[] _binIndex;                // FFT bin of each kept bin, ascending
    private readonly double _resolution;
    private readonly int _bins;
    private readonly int _blocks;                    // channel blocks of eight
    private readonly int _threads;
    private readonly bool[] _bad;
    private readonly (int A, int B)[] _pairs;
    private readonly int[] _rowStart;                // pair index of (a, a + 1)
    private readonly double[] _carry;                // channels × segment: the run's samples not yet in a complete segment
    private readonly (int First, int End)[] _channelGroups;
    private readonly WelchSegmenter[] _transforms;   // one per channel group
    private readonly Complex[][] _scratch;           // one full spectrum per channel group
    private readonly double[][] _joined;             // per channel group: a segment that starts in the carried samples
    private readonly bool[] _finite;                 // channel groups × batch slots
    private readonly double[] _pending;              // pinned: bins × blocks panels from _origin, 64-byte aligned
    private readonly int _origin;
    private readonly double[] _power;                // bins × channels
    private readonly double[] _sums;                 // Planes × bins × pairs
    private readonly (int Bin, int FirstRow, int EndRow)[] _work;
    private readonly Action<int> _transformGroup;
    private readonly Action<int> _addWork;
    private nint _block;                             // channel 0's first sample of the block being appended (pinned for the call)
    private int _blockStride;                        // its rows' stride
    private int _blockCount;
    private int _chunkFirst;                         // its segments being transformed: [first, first + count)
    private int _chunkCount;
    private int _pendingCount;                       // buffered segments (batch slots in use)
    private int _filled;                             // carried samples

    /// <param name="channels">Channels per appended block.</param>
    /// <param name="sampleRate">Sampling rate (Hz), to label bins.</param>
    /// <param name="segmentLength">Samples per segment (nperseg).</param>
    /// <param name="step">Samples between segment starts (nperseg − noverlap).</param>
    /// <param name="minFrequency">Lowest frequency kept (Hz), inclusive.</param>
    /// <param name="maxFrequency">Highest frequency kept (Hz), inclusive; capped at Nyquist.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the segment FFTs and the sums; does not change any result bit.</param>
    public SegmentConnectivityAccumulator(int channels, double sampleRate, int segmentLength, int step,
        double minFrequency, double maxFrequency, IFftProvider fft, ReadOnlySpan<bool> badChannels = default, int maxDegreeOfParallelism = 1)
        : this(channels, sampleRate, segmentLength, step, [(minFrequency, maxFrequency)], fft, badChannels, maxDegreeOfParallelism)
    {
    }

    /// <summary>
    /// One accumulator for several frequency ranges (bands): the bins of any range are kept, each once, and every
    /// segment is transformed once for all of them. Every bin's sums are those an accumulator of its range alone
    /// would form, bit for bit; <see cref="SegmentConnectivityResult.BandMean"/> picks a range's bins.
    /// </summary>
    /// <param name="ranges">(lowest, highest) frequency (Hz) of each range, inclusive; capped at Nyquist.</param>
    public SegmentConnectivityAccumulator(int channels, double sampleRate, int segmentLength, int step,
        IReadOnlyList<(double Min, double Max)> ranges, IFftProvider fft, ReadOnlySpan<bool> badChannels = default, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (step < 1 || step > segmentLength) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be in 1..segmentLength");
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        if (!badChannels.IsEmpty && badChannels.Length != channels)
            throw new ArgumentException($"bad-channel mask has {badChannels.Length} entries for {channels} channels");
        Channels = channels;
        _segment = segmentLength;
        _step = step;
        _threads = maxDegreeOfParallelism;
        double resolution = sampleRate / segmentLength;
        _resolution = resolution;
        var kept = new SortedSet<int>();
        foreach (var (minFrequency, maxFrequency) in ranges)
        {
            var (firstBin, lastBin) = BinRange(minFrequency, maxFrequency);
            for (int bin = firstBin; bin <= lastBin; bin++) kept.Add(bin);
        }
        _binIndex = [.. kept];
        _bins = _binIndex.Length;
        Frequencies = new double[_bins];
        for (int k = 0; k < _bins; k++) Frequencies[k] = _binIndex[k] * resolution;
        _bad = badChannels.IsEmpty ? new bool[channels] : badChannels.ToArray();
        _pairs = new (int, int)[channels * (channels - 1) / 2];
        _rowStart = new int[channels];
        for (int a = 0, p = 0; a < channels; a++)
        {
            _rowStart[a] = p;
            for (int b = a + 1; b < channels; b++) _pairs[p++] = (a, b);
        }
        _carry = new double[channels * segmentLength];
        // Several channel groups per thread, so a thread that the machine slows down does not hold up the others.
        int groups = maxDegreeOfParallelism == 1 ? 1 : Math.Min(channels, 4 * maxDegreeOfParallelism);
        _channelGroups = new (int, int)[groups];
        for (int g = 0; g < groups; g++) _channelGroups[g] = (g * channels / groups, (g + 1) * channels / groups);
        _transforms = new WelchSegmenter[groups];
        _scratch = new Complex[groups][];
        _joined = new double[groups][];
        for (int g = 0; g < groups; g++)
        {
            _transforms[g] = new WelchSegmenter(segmentLength, segmentLength - step, fft);
            _scratch[g] = new Complex[segmentLength / 2 + 1];
            _joined[g] = new double[segmentLength];
        }
        _finite = new bool[groups * Batch];
        _blocks = (channels + Lanes - 1) / Lanes;
        // Pinned so the 64-byte alignment of the panels (every vector load within one cache line) holds.
        _pending = GC.AllocateArray<double>(_bins * _blocks * Panel + Lanes, pinned: true);
        unsafe
        {
            _origin = (int)((64 - (nuint)Unsafe.AsPointer(ref _pending[0]) % 64) % 64 / sizeof(double));
        }
        _power = new double[channels * _bins];
        _sums = new double[(long)Planes * _bins * _pairs.Length];
        _work = WorkItems(channels, _bins);
        _transformGroup = TransformGroup;
        _addWork = AddWork;
        Reset();
    }

    /// <summary>
    /// Starts over with no segment (the next epoch of a pass), keeping the buffers. Also run once when built: the sums'
    /// first touch is then a write, not the pass's read-add-write, which on pages not yet written costs a second fault
    /// and a TLB flush on every core for each 4 KiB (0.3 GB of sums at 384 channels).
    /// </summary>
    public void Reset()
    {
        Array.Clear(_sums);
        Array.Clear(_power);
        Array.Clear(_pending);
        _pendingCount = 0;
        _filled = 0;
        Segments = 0;
        SkippedSegments = 0;
    }

    public int Channels { get; }

    public double[] Frequencies { get; }

    /// <summary>Segments accumulated so far.</summary>
    public int Segments { get; private set; }

    /// <summary>Complete segments skipped because a good channel held NaN/∞ in them.</summary>
    public int SkippedSegments { get; private set; }

    /// <summary>Continues the current run with <paramref name="count"/> samples per channel (channel-major).</summary>
    public void Append(ReadOnlySpan<double> channelMajor, int count)
    {
        if (channelMajor.Length != (long)Channels * count)
            throw new ArgumentException($"block holds {channelMajor.Length} values, expected {Channels}×{count}");
        Append(channelMajor, count, 0, count);
    }

    /// <summary>
    /// Continues the current run with <paramref name="count"/> samples per channel, channel c's at
    /// rows[c · stride + offset ..] (a window of longer rows, read in place).
    /// </summary>
    public unsafe void Append(ReadOnlySpan<double> rows, int stride, int offset, int count)
    {
        RowWindow.Check(rows, Channels, stride, offset, count);
        // The run continues as carried samples ++ block; its segments start every step from the carried samples'
        // start. Each channel's segments are transformed straight from the block (it stays in cache), in chunks
        // that fit the batch.
        int total = _filled + count;
        int segments = total < _segment ? 0 : (total - _segment) / _step + 1;
        fixed (double* block = rows)
        {
            _block = (nint)(block + offset);
            _blockStride = stride;
            _blockCount = count;
            for (int done = 0; done < segments; done += _chunkCount)
            {
                _chunkFirst = done;
                _chunkCount = Math.Min(segments - done, Batch - _pendingCount);
                WorkSplit.For(_channelGroups.Length, _threads, _transformGroup);
                KeepFiniteSegments();
            }
            _block = 0;
        }
        // Carry what the next segment starts with: samples from (segments × step) on.
        int next = segments * _step, keep = total - next;
        for (int c = 0; c < Channels; c++)
        {
            var carry = _carry.AsSpan(c * _segment, _segment);
            var row = rows.Slice(c * stride + offset, count);
            if (next >= _filled)
            {
                row.Slice(next - _filled, keep).CopyTo(carry);
                continue;
            }
            carry[next.._filled].CopyTo(carry);
            row.CopyTo(carry[(_filled - next)..]);
        }
        _filled = keep;
    }

    /// <summary>Ends the current run: a partial segment is dropped, the next append starts a new run.</summary>
    public void EndRun() => _filled = 0;

    /// <summary>Index in <see cref="_pending"/> of channel c's real part at bin k in batch slot s (+8 imaginary, +16/+24 unit phasor).</summary>
    private int PendingIndex(int k, int c, int s) => _origin + ((k * _blocks + c / Lanes) * Batch + s) * PanelSegment + c % Lanes;

    /// <summary>
    /// Transforms the chunk's segments of the group's good channels into batch slots from the first free one on,
    /// noting per segment whether all were finite. Bad channels' slots stay zero.
    /// </summary>
    private unsafe void TransformGroup(int g)
    {
        var (first, end) = _channelGroups[g];
        var spectrum = _scratch[g];
        var finite = _finite.AsSpan(g * Batch, _chunkCount);
        finite.Fill(true);
        for (int c = first; c < end; c++)
        {
            if (_bad[c]) continue;
            var row = new ReadOnlySpan<double>((double*)_block + (long)c * _blockStride, _blockCount);
            for (int j = 0; j < _chunkCount; j++)
            {
                int start = (_chunkFirst + j) * _step - _filled;   // relative to the block
                ReadOnlySpan<double> segment;
                if (start >= 0) segment = row.Slice(start, _segment);
                else
                {
                    // The segment begins in the carried samples.
                    _carry.AsSpan(c * _segment + _filled + start, -start).CopyTo(_joined[g]);
                    row[..(_segment + start)].CopyTo(_joined[g].AsSpan(-start));
                    segment = _joined[g];
                }
                if (!finite[j] || !(finite[j] = _transforms[g].Transform(segment, spectrum))) continue;
                int slot = _pendingCount + j;
                for (int k = 0; k < _bins; k++)
                {
                    double re = spectrum[_binIndex[k]].Real, im = spectrum[_binIndex[k]].Imaginary;
                    // A bin with X = 0 has no phase: its unit phasor is 0, so it adds nothing to the phase-based sums.
                    double magnitude = Math.Sqrt(re * re + im * im);
                    int at = PendingIndex(k, c, slot);
                    _pending[at] = re;
                    _pending[at + Lanes] = im;
                    _pending[at + 2 * Lanes] = magnitude > 0 ? re / magnitude : 0;
                    _pending[at + 3 * Lanes] = magnitude > 0 ? im / magnitude : 0;
                }
            }
        }
    }

    /// <summary>
    /// Keeps the chunk's segments in which every good channel was finite, in order (a skipped segment's slot is
    /// filled by moving the later ones down), adds their power, and runs the pass when the batch is full.
    /// </summary>
    private void KeepFiniteSegments()
    {
        int kept = 0;
        for (int j = 0; j < _chunkCount; j++)
        {
            bool finite = true;
            for (int g = 0; g < _channelGroups.Length; g++) finite &= _finite[g * Batch + j];
            if (!finite)
            {
                SkippedSegments++;
                continue;
            }
            int slot = _pendingCount + kept;
            if (slot != _pendingCount + j)
            {
                for (int k = 0; k < _bins; k++)
                    for (int b = 0; b < _blocks; b++)
                    {
                        int from = PendingIndex(k, b * Lanes, _pendingCount + j), to = PendingIndex(k, b * Lanes, slot);
                        _pending.AsSpan(from, PanelSegment).CopyTo(_pending.AsSpan(to, PanelSegment));
                    }
            }
            for (int k = 0; k < _bins; k++)
            {
                var power = _power.AsSpan(k * Channels, Channels);
                for (int c = 0; c < Channels; c++)
                {
                    int at = PendingIndex(k, c, slot);
                    double re = _pending[at], im = _pending[at + Lanes];
                    power[c] += re * re + im * im;
                }
            }
            kept++;
        }
        _pendingCount += kept;
        Segments += kept;
        if (_pendingCount == Batch) AddPending();
    }

    /// <summary>Adds the buffered segments to the sums (each cell in segment order) and empties the buffer.</summary>
    private void AddPending()
    {
        if (_pendingCount == 0) return;
        WorkSplit.For(_work.Length, _threads, _addWork);
        _pendingCount = 0;
    }

    /// <summary>Work items: one bin and a range of rows a (pairs a &lt; b) each, fixed by channels and bins.</summary>
    private static (int, int, int)[] WorkItems(int channels, int bins)
    {
        // Rows in up to eight groups of about equal pair counts (row a has channels − 1 − a pairs).
        const int Groups = 8;
        long total = (long)channels * (channels - 1) / 2;
        var rows = new List<(int, int)>();
        long done = 0;
        for (int a = 0, start = 0; a < channels - 1; a++)
        {
            done += channels - 1 - a;
            if (done * Groups >= total * (rows.Count + 1) || a == channels - 2)
            {
                rows.Add((start, a + 1));
                start = a + 1;
            }
        }
        var items = new List<(int, int, int)>();
        for (int k = 0; k < bins; k++)
            foreach (var (first, end) in rows) items.Add((k, first, end));
        return [.. items];
    }

    private void AddWork(int i)
    {
        var (k, firstRow, endRow) = _work[i];
        int pairs = _pairs.Length, n = _pendingCount;
        ref double panels = ref _pending[_origin + k * _blocks * Panel];
        ref double sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        nuint plane = (nuint)_bins * (nuint)pairs;
        Span<double> partial = stackalloc double[Planes * Lanes];
        for (int a = firstRow; a < endRow; a++)
        {
            if (_bad[a]) continue;
            // Cells of row a in bin k: pairs (a, a + 1) … (a, channels − 1), contiguous in every plane.
            nuint row = (nuint)k * (nuint)pairs + (nuint)_rowStart[a];
            int first = a + 1;
            for (int b = first / Lanes * Lanes; b < Channels; b += Lanes)
            {
                int lo = Math.Max(first, b) - b, hi = Math.Min(Channels, b + Lanes) - b;
                if (lo == 0 && hi == Lanes)
                {
                    AddCells(ref panels, n, a, b, ref Unsafe.Add(ref sums, row + (nuint)(b - first)), plane);
                    continue;
                }
                // A block the row covers only in part: the same eight-lane code on a copy of its cells. The other
                // lanes see other channels (or zero padding) and are dropped, so every cell gets identical arithmetic.
                nuint cell = row + (nuint)(b + lo - first);
                for (int q = 0; q < Planes; q++)
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref sums, (nuint)q * plane + cell), hi - lo).CopyTo(partial.Slice(q * Lanes + lo));
                AddCells(ref panels, n, a, b, ref partial[0], Lanes);
                for (int q = 0; q < Planes; q++)
                    partial.Slice(q * Lanes + lo, hi - lo).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sums, (nuint)q * plane + cell), hi - lo));
            }
        }
    }

    /// <summary>
    /// Adds segments 0..n−1 of one bin to the seven sums of the pairs (a, b..b+7), b a multiple of eight:
    /// S = X_a·conj(X_b) and U = u_a·conj(u_b) with u = X/|X| (S/|S| without a square root per pair).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddCells(ref double panels, int n, int a, int b, ref double sums, nuint plane)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            // Emulated Vector512 is about 3× slower than the hardware's own width: the same lanes, in parts.
            for (int part = 0; part < Lanes; part += Vector<double>.Count)
                AddLanes(ref panels, n, a, b, part, ref Unsafe.Add(ref sums, part), plane);
            return;
        }
        var crossRe = Vector512.LoadUnsafe(ref sums, CrossRe * plane);
        var crossIm = Vector512.LoadUnsafe(ref sums, CrossIm * plane);
        var unitRe = Vector512.LoadUnsafe(ref sums, UnitRe * plane);
        var unitIm = Vector512.LoadUnsafe(ref sums, UnitIm * plane);
        var sign = Vector512.LoadUnsafe(ref sums, SignImag * plane);
        var absImag = Vector512.LoadUnsafe(ref sums, AbsImag * plane);
        var squareImag = Vector512.LoadUnsafe(ref sums, SquareImag * plane);
        var one = Vector512.Create(1.0);
        ref double pa = ref Unsafe.Add(ref panels, (nuint)(a / Lanes * Panel + a % Lanes));
        ref double pb = ref Unsafe.Add(ref panels, (nuint)(b / Lanes * Panel));
        for (int s = 0; s < n; s++)
        {
            nuint at = (nuint)(s * PanelSegment);
            var xaRe = Vector512.Create(Unsafe.Add(ref pa, at));
            var xaIm = Vector512.Create(Unsafe.Add(ref pa, at + Lanes));
            var uaRe = Vector512.Create(Unsafe.Add(ref pa, at + 2 * Lanes));
            var uaIm = Vector512.Create(Unsafe.Add(ref pa, at + 3 * Lanes));
            var xbRe = Vector512.LoadUnsafe(ref pb, at);
            var xbIm = Vector512.LoadUnsafe(ref pb, at + Lanes);
            var ubRe = Vector512.LoadUnsafe(ref pb, at + 2 * Lanes);
            var ubIm = Vector512.LoadUnsafe(ref pb, at + 3 * Lanes);
            var im = xaIm * xbRe - xaRe * xbIm;
            crossRe += xaRe * xbRe + xaIm * xbIm;
            crossIm += im;
            unitRe += uaRe * ubRe + uaIm * ubIm;
            unitIm += uaIm * ubRe - uaRe * ubIm;
            sign += (Vector512.GreaterThan(im, Vector512<double>.Zero) & one) - (Vector512.LessThan(im, Vector512<double>.Zero) & one);
            absImag += Vector512.Abs(im);
            squareImag += im * im;
        }
        crossRe.StoreUnsafe(ref sums, CrossRe * plane);
        crossIm.StoreUnsafe(ref sums, CrossIm * plane);
        unitRe.StoreUnsafe(ref sums, UnitRe * plane);
        unitIm.StoreUnsafe(ref sums, UnitIm * plane);
        sign.StoreUnsafe(ref sums, SignImag * plane);
        absImag.StoreUnsafe(ref sums, AbsImag * plane);
        squareImag.StoreUnsafe(ref sums, SquareImag * plane);
    }

    /// <summary><see cref="AddCells"/> for lanes [part, part + <see cref="Vector{T}.Count"/>) with the same arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddLanes(ref double panels, int n, int a, int b, int part, ref double sums, nuint plane)
    {
        var crossRe = Vector.LoadUnsafe(ref sums, CrossRe * plane);
        var crossIm = Vector.LoadUnsafe(ref sums, CrossIm * plane);
        var unitRe = Vector.LoadUnsafe(ref sums, UnitRe * plane);
        var unitIm = Vector.LoadUnsafe(ref sums, UnitIm * plane);
        var sign = Vector.LoadUnsafe(ref sums, SignImag * plane);
        var absImag = Vector.LoadUnsafe(ref sums, AbsImag * plane);
        var squareImag = Vector.LoadUnsafe(ref sums, SquareImag * plane);
        var one = new Vector<double>(1.0);
        ref double pa = ref Unsafe.Add(ref panels, (nuint)(a / Lanes * Panel + a % Lanes));
        ref double pb = ref Unsafe.Add(ref panels, (nuint)(b / Lanes * Panel + part));
        for (int s = 0; s < n; s++)
        {
            nuint at = (nuint)(s * PanelSegment);
            var xaRe = new Vector<double>(Unsafe.Add(ref pa, at));
            var xaIm = new Vector<double>(Unsafe.Add(ref pa, at + Lanes));
            var uaRe = new Vector<double>(Unsafe.Add(ref pa, at + 2 * Lanes));
            var uaIm = new Vector<double>(Unsafe.Add(ref pa, at + 3 * Lanes));
            var xbRe = Vector.LoadUnsafe(ref pb, at);
            var xbIm = Vector.LoadUnsafe(ref pb, at + Lanes);
            var ubRe = Vector.LoadUnsafe(ref pb, at + 2 * Lanes);
            var ubIm = Vector.LoadUnsafe(ref pb, at + 3 * Lanes);
            var im = xaIm * xbRe - xaRe * xbIm;
            crossRe += xaRe * xbRe + xaIm * xbIm;
            crossIm += im;
            unitRe += uaRe * ubRe + uaIm * ubIm;
            unitIm += uaIm * ubRe - uaRe * ubIm;
            sign += Vector.ConditionalSelect(Vector.GreaterThan(im, Vector<double>.Zero), one, Vector<double>.Zero)
                - Vector.ConditionalSelect(Vector.LessThan(im, Vector<double>.Zero), one, Vector<double>.Zero);
            absImag += Vector.Abs(im);
            squareImag += im * im;
        }
        crossRe.StoreUnsafe(ref sums, CrossRe * plane);
        crossIm.StoreUnsafe(ref sums, CrossIm * plane);
        unitRe.StoreUnsafe(ref sums, UnitRe * plane);
        unitIm.StoreUnsafe(ref sums, UnitIm * plane);
        sign.StoreUnsafe(ref sums, SignImag * plane);
        absImag.StoreUnsafe(ref sums, AbsImag * plane);
        squareImag.StoreUnsafe(ref sums, SquareImag * plane);
    }

    // FFT bins [first, last] of a frequency range (last < first when it holds none).
    private (int First, int Last) BinRange(double minFrequency, double maxFrequency) =>
        ((int)Math.Max(0, Math.Ceiling(minFrequency / _resolution - 1e-9)), (int)Math.Min(_segment / 2, Math.Floor(maxFrequency / _resolution + 1e-9)));

    /// <summary>Every kept bin's measures.</summary>
    public SegmentConnectivityResult Result() => Result(0, _bins);

    /// <summary>
    /// The measures of the kept bins of one range, the same (bit for bit) as an accumulator of that range alone gives,
    /// without the other ranges' result arrays.
    /// </summary>
    public SegmentConnectivityResult Result(double minFrequency, double maxFrequency)
    {
        var (first, bins) = KeptBins(minFrequency, maxFrequency);
        return Result(first, bins);
    }

    /// <summary>
    /// Per pair, each measure's mean over the kept bins with lo ≤ f ≤ hi: the same bits as
    /// <see cref="SegmentConnectivityResult.BandMean"/> on <see cref="Result(double, double)"/> of that range, without
    /// the per-bin arrays (nine values per pair and bin: 0.2 GB for a 384-channel probe's high-gamma bins).
    /// </summary>
    public SegmentConnectivityBandMeans BandMeans(double minFrequency, double maxFrequency)
    {
        var (firstBin, bins) = KeptBins(minFrequency, maxFrequency);
        AddPending();
        var m = new double[9][];
        for (int i = 0; i < m.Length; i++) m[i] = new double[_pairs.Length];
        string? reason = Unusable(bins);
        if (reason is not null)
        {
            foreach (var metric in m) Array.Fill(metric, double.NaN);
            return new SegmentConnectivityBandMeans(Segments, _pairs, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], reason);
        }
        double[] frequencies = Frequencies;
        var selected = Enumerable.Range(firstBin, bins).Where(k => frequencies[k] >= minFrequency && frequencies[k] <= maxFrequency).ToArray();
        const int blockPairs = 256;
        int blocks = (_pairs.Length + blockPairs - 1) / blockPairs;
        WorkSplit.For(blocks, _threads, i =>
        {
            int first = i * blockPairs, end = Math.Min(_pairs.Length, first + blockPairs);
            Span<Measures> sums = stackalloc Measures[blockPairs];
            sums.Clear();
            // Bins outer, pairs inner (the sums are [bin][pair]); each pair still adds its bins in ascending order.
            foreach (int k in selected)
                for (int p = first; p < end; p++)
                    if (Good(p)) sums[p - first] += MeasuresAt(p, k);
            for (int p = first; p < end; p++)
                Store(m, p, Good(p) && selected.Length > 0 ? sums[p - first] / selected.Length : Measures.NaN);
        });
        return new SegmentConnectivityBandMeans(Segments, _pairs, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], null);
    }

    // The kept bins [first, first + count) of a frequency range.
    private (int First, int Count) KeptBins(double minFrequency, double maxFrequency)
    {
        var (firstBin, lastBin) = BinRange(minFrequency, maxFrequency);
        int first = 0;
        while (first < _bins && _binIndex[first] < firstBin) first++;
        int end = first;
        while (end < _bins && _binIndex[end] <= lastBin) end++;
        return (first, end - first);
    }

    private string? Unusable(int bins) =>
        Segments == 0 ? "no complete segment in the analysed time"
        : _bad.Count(b => !b) < 2 ? "fewer than two good channels"
        : bins == 0 ? "no frequency bin in the requested range" : null;

    // Kept bins [firstBin, firstBin + bins).
    private SegmentConnectivityResult Result(int firstBin, int bins)
    {
        AddPending();
        int cells = _pairs.Length * bins;
        var m = new double[9][];
        for (int i = 0; i < m.Length; i++) m[i] = new double[cells];
        string? reason = Unusable(bins);
        if (reason is not null)
        {
            foreach (var metric in m) Array.Fill(metric, double.NaN);
        }
        else
        {
            // Blocks of pairs, so the sums ([bin][pair]) are read in order and the block's [pair][bin] outputs stay in cache.
            int blockPairs = Math.Max(1, 4096 / bins);
            int blocks = (_pairs.Length + blockPairs - 1) / blockPairs;
            WorkSplit.For(blocks, _threads, i => Finish(m, i * blockPairs, Math.Min(_pairs.Length, (i + 1) * blockPairs), firstBin, bins));
        }
        return new SegmentConnectivityResult(Segments, _pairs, Frequencies[firstBin..(firstBin + bins)], m[0], m[1], m[2], m[3], m[4], m[5],
            m[6], m[7], m[8], reason);
    }

    /// <summary>The nine measures (result order: Msc, Coherence, …, Ppc) for pairs [first, end) at kept bins [firstBin, firstBin + bins).</summary>
    private void Finish(double[][] m, int first, int end, int firstBin, int bins)
    {
        for (int k = firstBin; k < firstBin + bins; k++)
        {
            for (int p = first; p < end; p++)
                Store(m, p * bins + (k - firstBin), Good(p) ? MeasuresAt(p, k) : Measures.NaN);
        }
    }

    private bool Good(int pair) => !_bad[_pairs[pair].A] && !_bad[_pairs[pair].B];

    // The nine measures in result order (Msc, Coherence, …, Ppc), one array each.
    private static void Store(double[][] m, int cell, Measures v)
    {
        m[0][cell] = v.Msc; m[1][cell] = v.Coherence; m[2][cell] = v.ImaginaryCoherence;
        m[3][cell] = v.Plv; m[4][cell] = v.Ciplv; m[5][cell] = v.Pli;
        m[6][cell] = v.Wpli; m[7][cell] = v.Wpli2Debiased; m[8][cell] = v.Ppc;
    }

    private readonly record struct Measures(double Msc, double Coherence, double ImaginaryCoherence, double Plv, double Ciplv,
        double Pli, double Wpli, double Wpli2Debiased, double Ppc)
    {
        public static Measures NaN => new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

        // Each measure on its own: the sums and the mean are per measure, as the scalar loops over one array each.
        public static Measures operator +(Measures x, Measures y) => new(x.Msc + y.Msc, x.Coherence + y.Coherence,
            x.ImaginaryCoherence + y.ImaginaryCoherence, x.Plv + y.Plv, x.Ciplv + y.Ciplv, x.Pli + y.Pli, x.Wpli + y.Wpli,
            x.Wpli2Debiased + y.Wpli2Debiased, x.Ppc + y.Ppc);

        public static Measures operator /(Measures x, double d) => new(x.Msc / d, x.Coherence / d, x.ImaginaryCoherence / d,
            x.Plv / d, x.Ciplv / d, x.Pli / d, x.Wpli / d, x.Wpli2Debiased / d, x.Ppc / d);
    }

    /// <summary>The nine measures of pair p (both channels good) at kept bin k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Measures MeasuresAt(int p, int k)
    {
        var (a, b) = _pairs[p];
        double n = Segments;
        long plane = (long)_bins * _pairs.Length;
        long at = (long)k * _pairs.Length + p;
        double crossRe = _sums[CrossRe * plane + at], crossIm = _sums[CrossIm * plane + at];
        double unitRe = _sums[UnitRe * plane + at], unitIm = _sums[UnitIm * plane + at];
        double powerProduct = _power[k * Channels + a] * _power[k * Channels + b];
        double squared = crossRe * crossRe + crossIm * crossIm;
        double meanRe = unitRe / n, meanIm = unitIm / n;
        double sumAbs = _sums[AbsImag * plane + at], sumSq = _sums[SquareImag * plane + at];
        return new Measures(
            Msc: squared / powerProduct,
            Coherence: Math.Sqrt(squared) / Math.Sqrt(powerProduct),
            ImaginaryCoherence: crossIm / Math.Sqrt(powerProduct),
            Plv: Math.Sqrt(meanRe * meanRe + meanIm * meanIm),
            Ciplv: Math.Abs(meanIm) / Math.Sqrt(1 - meanRe * meanRe),
            Pli: Math.Abs(_sums[SignImag * plane + at] / n),
            Wpli: Math.Abs(crossIm) / sumAbs,
            Wpli2Debiased: (crossIm * crossIm - sumSq) / (sumAbs * sumAbs - sumSq),
            Ppc: (unitRe * unitRe + unitIm * unitIm - n) / (n * (n - 1)));
    }

    public void Dispose()
    {
        foreach (var transform in _transforms) transform.Dispose();
    }
}
