using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral;

/// <summary>Sliding-window Welch: each frame is a Welch PSD over <see cref="WindowSeconds"/>, frames every <see cref="StepSeconds"/>.</summary>
public sealed record SpectrogramOptions
{
    public SpectrogramOptions(WelchOptions welch, double windowSeconds = 10, double stepSeconds = 5)
    {
        Welch = welch;
        WindowSamples = (int)Math.Round(windowSeconds * welch.SampleRate);
        StepSamples = (int)Math.Round(stepSeconds * welch.SampleRate);
        if (WindowSamples < welch.SegmentLength)
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "spectrogram window shorter than one Welch segment");
        ArgumentOutOfRangeException.ThrowIfLessThan(StepSamples, 1, nameof(stepSeconds));
        WindowSeconds = windowSeconds;
        StepSeconds = stepSeconds;
    }

    /// <summary>The team default: 10 s windows every 5 s of 2 s / 50% Welch.</summary>
    public static SpectrogramOptions Default(double sampleRate) => new(WelchOptions.Default(sampleRate));

    public WelchOptions Welch { get; }

    /// <summary>
    /// Highest frequency the frames hold (Hz; null: every Welch bin up to Nyquist). Bins above it are never kept, so a
    /// frame's memory is its kept bins; the kept bins are the same bits as without the limit.
    /// </summary>
    public double? MaxFrequency { get; init; }

    /// <summary>Bins per frame: the Welch bins at or below <see cref="MaxFrequency"/>.</summary>
    public int Bins
    {
        get
        {
            if (MaxFrequency is not double max) return Welch.Bins;
            int bins = 0;
            while (bins < Welch.Bins && bins * Welch.Resolution <= max) bins++;   // bin k is at k · resolution
            return bins;
        }
    }

    public double WindowSeconds { get; }
    public double StepSeconds { get; }
    public int WindowSamples { get; }
    public int StepSamples { get; }
}

/// <summary>
/// Streaming spectrogram of one channel. Append continues a contiguous run; <see cref="StartNewRun"/> or
/// <see cref="Skip"/> mark a gap, and no window straddles a gap. Memory: one window of samples (or one window's
/// segment periodograms) plus the frames produced (times × frequencies, the output itself).
/// </summary>
/// <remarks>
/// With mean averaging, and the step and the window both on the Welch segment grid (the default: 10 s windows every
/// 5 s of 2 s segments with a 1 s hop), overlapping frames share segments: each segment is transformed once, its
/// periodogram kept for the frames that hold it, and each frame sums its segments' periodograms in stream order:
/// the same additions, in the same order, as a Welch PSD of the frame's samples, so the same bits.
/// </remarks>
public sealed class SpectrogramAccumulator : IDisposable
{
    private readonly WelchAccumulator? _welch;
    private readonly SharedSegments? _shared;
    private readonly double[] _window;
    private readonly List<double> _times = [];
    private readonly List<PowerSpectrum> _frames = [];
    private int _filled;
    private long _pendingSkip;
    private long _position;

    public SpectrogramAccumulator(SpectrogramOptions options, IFftProvider fft)
    {
        Options = options;
        var w = options.Welch;
        if (w.Average == WelchAverage.Mean && options.StepSamples < options.WindowSamples
            && options.StepSamples % w.Step == 0 && (options.WindowSamples - w.SegmentLength) % w.Step == 0)
        {
            _shared = new SharedSegments(this, fft);
            _window = [];
        }
        else
        {
            _welch = new WelchAccumulator(w, fft);
            _window = new double[options.WindowSamples];
        }
        Frequencies = PowerSpectrum.BinFrequencies(options.Bins, options.Welch.Resolution);
    }

    public SpectrogramOptions Options { get; }

    public double[] Frequencies { get; }

    /// <summary>Frame centres in seconds from the first appended sample (skips included).</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>One Welch PSD per frame (NaN with a reason where a window held only rejected samples).</summary>
    public IReadOnlyList<PowerSpectrum> Frames => _frames;

    public void Append(ReadOnlySpan<double> block)
    {
        if (_shared is not null)
        {
            _shared.Append(block);
            return;
        }
        while (!block.IsEmpty)
        {
            if (_pendingSkip > 0)
            {
                int skip = (int)Math.Min(_pendingSkip, block.Length);
                block = block[skip..];
                _pendingSkip -= skip;
                _position += skip;
                continue;
            }
            int take = Math.Min(_window.Length - _filled, block.Length);
            block[..take].CopyTo(_window.AsSpan(_filled));
            block = block[take..];
            _filled += take;
            _position += take;
            if (_filled < _window.Length) continue;
            EmitFrame();
            int step = Options.StepSamples;
            if (step < _window.Length)
            {
                _window.AsSpan(step).CopyTo(_window);
                _filled = _window.Length - step;
            }
            else
            {
                _filled = 0;
                _pendingSkip = step - _window.Length;
            }
        }
    }

    /// <summary>A gap follows: the partial window is dropped; the next window starts at the next sample.</summary>
    public void StartNewRun()
    {
        _filled = 0;
        _pendingSkip = 0;
        _shared?.StartNewRun();
    }

    /// <summary>Rejected stretch of <paramref name="samples"/>: ends the run and keeps frame times on the stream clock.</summary>
    public void Skip(long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        StartNewRun();
        _position += samples;
        _shared?.Skip(samples);
    }

    /// <summary>
    /// Moves the finished frames out (centre time and PSD, in order) so that a long recording does not pile them up
    /// here; <see cref="Times"/> and <see cref="Frames"/> then hold only frames finished after the call.
    /// </summary>
    public void Drain(Action<double, PowerSpectrum> sink)
    {
        for (int i = 0; i < _frames.Count; i++) sink(_times[i], _frames[i]);
        _frames.Clear();
        _times.Clear();
    }

    /// <summary>Band power (V²) per frame; NaN where the frame or band is invalid.</summary>
    public double[] BandTimeCourse(Band band) => _frames.Select(s => BandPower.Absolute(s, band).Value).ToArray();

    /// <summary>Relative band power per frame (band / total, default total 1–100 Hz).</summary>
    public double[] RelativeBandTimeCourse(Band band, Band? total = null) =>
        _frames.Select(s => BandPower.Relative(s, band, total).Value).ToArray();

    /// <summary>Frames × frequencies as a dense matrix (row per frame).</summary>
    public double[,] ToMatrix()
    {
        var m = new double[_frames.Count, Frequencies.Length];
        for (int t = 0; t < _frames.Count; t++)
            for (int k = 0; k < Frequencies.Length; k++) m[t, k] = _frames[t].Power[k];
        return m;
    }

    private void EmitFrame()
    {
        _welch!.Reset();
        _welch.Append(_window);
        var full = _welch.Result();
        AddFrame(_position - _window.Length, full.Power.Length == Frequencies.Length ? full
            : full with { Frequencies = Frequencies, Power = full.Power[..Frequencies.Length] });
    }

    private void AddFrame(long start, PowerSpectrum frame)
    {
        _frames.Add(frame);
        _times.Add((start + Options.WindowSamples / 2.0) / Options.Welch.SampleRate);
    }

    public void Dispose()
    {
        _welch?.Dispose();
        _shared?.Dispose();
    }

    /// <summary>The segments of the last window of the run: periodograms |X|² in a ring, oldest first from <c>_run − K</c>.</summary>
    private sealed class SharedSegments : ISegmentSink, IDisposable
    {
        private readonly SpectrogramAccumulator _owner;
        private readonly WelchSegmenter _segmenter;
        private readonly int _bins;
        private readonly int _perWindow;
        private readonly int _perStep;
        private readonly double[] _rows;
        private readonly bool[] _finite;
        private readonly long[] _starts;
        private readonly double[] _sum;
        private long _run;

        public SharedSegments(SpectrogramAccumulator owner, IFftProvider fft)
        {
            _owner = owner;
            var o = owner.Options;
            _segmenter = new WelchSegmenter(o.Welch.SegmentLength, o.Welch.Overlap, fft);
            _bins = o.Bins;
            _perWindow = (o.WindowSamples - o.Welch.SegmentLength) / o.Welch.Step + 1;
            _perStep = o.StepSamples / o.Welch.Step;
            _rows = new double[_perWindow * _bins];
            _finite = new bool[_perWindow];
            _starts = new long[_perWindow];
            _sum = new double[_bins];
        }

        public void Append(ReadOnlySpan<double> block) => _segmenter.Append(block, this);

        public void StartNewRun()
        {
            _segmenter.StartNewRun();
            _run = 0;
        }

        /// <summary>Advances the segmenter's clock (the run was already ended by <see cref="StartNewRun"/>).</summary>
        public void Skip(long samples) => _segmenter.Skip(samples);

        public void OnSegment(ReadOnlySpan<Complex> spectrum, bool finite, long startSample)
        {
            int slot = (int)(_run % _perWindow);
            _finite[slot] = finite;
            _starts[slot] = startSample;
            if (finite) PowerAccumulate.Write(spectrum[.._bins], _rows.AsSpan(slot * _bins, _bins));
            _run++;
            if (_run < _perWindow || (_run - _perWindow) % _perStep != 0) return;
            // Σ|X|² over the frame's finite segments, oldest first (WelchAccumulator's order: 0 + p₁ + p₂ + …).
            Array.Clear(_sum);
            int count = 0;
            for (long s = _run - _perWindow; s < _run; s++)
            {
                int k = (int)(s % _perWindow);
                if (!_finite[k]) continue;
                System.Numerics.Tensors.TensorPrimitives.Add(_sum, _rows.AsSpan(k * _bins, _bins), _sum);
                count++;
            }
            long start = _starts[(int)((_run - _perWindow) % _perWindow)];
            var o = _owner.Options;
            _owner.AddFrame(start, WelchAccumulator.MeanResult(o.Welch, _segmenter.WindowSumOfSquares, _sum, count,
                _perWindow - count, o.WindowSamples, _bins));
        }

        public void Dispose() => _segmenter.Dispose();
    }
}
