using EphysPipeline.Core.Fft;

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
    public double WindowSeconds { get; }
    public double StepSeconds { get; }
    public int WindowSamples { get; }
    public int StepSamples { get; }
}

/// <summary>
/// Streaming spectrogram of one channel. Append continues a contiguous run; <see cref="StartNewRun"/> or
/// <see cref="Skip"/> mark a gap, and no window straddles a gap. Memory: one window of samples plus the frames
/// produced (times × frequencies, the output itself).
/// </summary>
public sealed class SpectrogramAccumulator : IDisposable
{
    private readonly WelchAccumulator _welch;
    private readonly double[] _window;
    private readonly List<double> _times = [];
    private readonly List<PowerSpectrum> _frames = [];
    private int _filled;
    private long _pendingSkip;
    private long _position;

    public SpectrogramAccumulator(SpectrogramOptions options, IFftProvider fft)
    {
        Options = options;
        _welch = new WelchAccumulator(options.Welch, fft);
        _window = new double[options.WindowSamples];
        Frequencies = PowerSpectrum.BinFrequencies(options.Welch.Bins, options.Welch.Resolution);
    }

    public SpectrogramOptions Options { get; }

    public double[] Frequencies { get; }

    /// <summary>Frame centres in seconds from the first appended sample (skips included).</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>One Welch PSD per frame (NaN with a reason where a window held only rejected samples).</summary>
    public IReadOnlyList<PowerSpectrum> Frames => _frames;

    public void Append(ReadOnlySpan<double> block)
    {
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
    }

    /// <summary>Rejected stretch of <paramref name="samples"/>: ends the run and keeps frame times on the stream clock.</summary>
    public void Skip(long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        StartNewRun();
        _position += samples;
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
        _welch.Reset();
        _welch.Append(_window);
        _frames.Add(_welch.Result());
        long start = _position - _window.Length;
        _times.Add((start + _window.Length / 2.0) / Options.Welch.SampleRate);
    }

    public void Dispose() => _welch.Dispose();
}
