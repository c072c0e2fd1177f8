// Why: Welch PSD is the pipeline's most-run metric (every channel × epoch × session), so its cost sets the study's
// wall time. What: a streaming Welch PSD of Channels × Minutes at 1 kHz (2 s Hann segments, 50% overlap, fed in
// 1 s blocks as the study runner does) against the bare cost of the same segment FFTs, to show how close the
// detrend/window/|X|² accumulation runs to the FFT floor; both on FFTW and on the managed (FftSharp) provider. Compare with scipy.signal.welch on the same size
// (see docs/spectral.md for the one-line Python timing). Memory: the accumulators must not allocate per segment.
using System.Numerics;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral;

namespace EphysPipeline.Benchmarks.Spectral;

[MemoryDiagnoser]
public class WelchBenchmarks
{
    private const double Fs = 1000;
    private const int Segment = 2000;
    private double[] _signal = [];
    private Complex[] _spectrum = [];
    private IRealFft? _fft;

    [Params(32)]
    public int Channels { get; set; }

    [Params(30)]
    public int Minutes { get; set; }

    [Params(BenchFft.Fftw, BenchFft.Managed)]
    public string Fft { get; set; } = BenchFft.Fftw;

    [GlobalSetup]
    public void Setup()
    {
        // One channel of noise plus a theta rhythm, reused for every channel: the cost does not depend on the values.
        var rng = new Random(7);
        _signal = new double[Minutes * 60 * (int)Fs];
        for (int i = 0; i < _signal.Length; i++)
            _signal[i] = 1e-4 * Math.Sin(2 * Math.PI * 8 * i / Fs) + 3e-5 * (rng.NextDouble() - 0.5);
        _fft = BenchFft.Provider(Fft).CreateReal(Segment);
        _spectrum = new Complex[Segment / 2 + 1];
    }

    [GlobalCleanup]
    public void Cleanup() => _fft?.Dispose();

    [Benchmark(Baseline = true, Description = "FFT only (same segment FFTs)")]
    public double FftOnly()
    {
        double sink = 0;
        for (int c = 0; c < Channels; c++)
        {
            for (int start = 0; start + Segment <= _signal.Length; start += Segment / 2)
            {
                _fft!.Forward(_signal.AsSpan(start, Segment), _spectrum);
                sink += _spectrum[1].Real;
            }
        }
        return sink;
    }

    [Benchmark(Description = "Welch PSD, streaming 1 s blocks")]
    public double WelchPsd()
    {
        double sink = 0;
        using var acc = new WelchAccumulator(new WelchOptions(Fs, Segment, Segment / 2), BenchFft.Provider(Fft));
        for (int c = 0; c < Channels; c++)
        {
            acc.Reset();
            for (int start = 0; start < _signal.Length; start += (int)Fs)
                acc.Append(_signal.AsSpan(start, Math.Min((int)Fs, _signal.Length - start)));
            sink += acc.Result().Power[8];
        }
        return sink;
    }
}

/// <summary>
/// Why: multitaper is the low-variance PSD option; its cost is K tapered FFTs per window plus a one-off DPSS solve.
/// What: Channels windows of 10 s at 1 kHz with a 2 Hz bandwidth (NW 10, 19 tapers), estimator built once.
/// </summary>
[MemoryDiagnoser]
public class MultitaperBenchmarks
{
    private double[] _window = [];
    private MultitaperEstimator? _estimator;

    [Params(32)]
    public int Channels { get; set; }

    [Params(10_000)]
    public int Length { get; set; }

    [Params(BenchFft.Fftw, BenchFft.Managed)]
    public string Fft { get; set; } = BenchFft.Fftw;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _window = new double[Length];
        for (int i = 0; i < Length; i++) _window[i] = rng.NextDouble() - 0.5;
        _estimator = new MultitaperEstimator(Length, 1000, BenchFft.Provider(Fft), new MultitaperOptions(Bandwidth: 2.0));
    }

    [GlobalCleanup]
    public void Cleanup() => _estimator?.Dispose();

    [Benchmark(Description = "Multitaper PSD per channel (tapers cached)")]
    public double Multitaper()
    {
        double sink = 0;
        for (int c = 0; c < Channels; c++) sink += _estimator!.Compute(_window).Spectrum.Power[20];
        return sink;
    }

    [Benchmark(Description = "DPSS tapers (one-off per window length)")]
    public int Tapers() => Dpss.Compute(Length, 10, 20, periodic: true, BenchFft.Provider(Fft)).Count;
}
