using BenchmarkDotNet.Attributes;
using EphysPipeline.Phase;

namespace EphysPipeline.Benchmarks.AnalyticSignal;

/// <summary>
/// Why: every phase metric (PLV, wPLI, PPC, PAC) starts from the analytic signal of each band-passed channel, once per
/// band; in the runner this is the FFT-heavy half of the phase stage (the other half is the FIR band-pass).
/// What: <see cref="AnalyticSignalStream"/> over channels × minutes at 1 kHz (theta-band filter's 1651-tap trim),
/// fed in 30 s channel-major blocks like the runner; the handler only touches one sample per block.
/// </summary>
[MemoryDiagnoser]
public class AnalyticSignalBenchmarks
{
    private const double Rate = 1000;
    private double[] _block = [];

    [Params(8, 32)]
    public int Channels { get; set; }

    [Params(5)]
    public int Minutes { get; set; }

    [Params(BenchFft.Fftw, BenchFft.Managed)]
    public string Fft { get; set; } = BenchFft.Fftw;

    private int BlockSamples => (int)(30 * Rate);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _block = new double[Channels * BlockSamples];
        for (int i = 0; i < _block.Length; i++) _block[i] = Math.Sin(i * 0.05) + 0.1 * (rng.NextDouble() - 0.5);
    }

    [Benchmark(Description = "analytic signal stream, 30 s blocks")]
    public double Stream()
    {
        double sink = 0;
        using var stream = new AnalyticSignalStream(Channels, 825, BenchFft.Provider(Fft),
            (AnalyticBlock block, long first, long runEnd) => sink += block.Real(0)[0]);
        long total = (long)(Minutes * 60 * Rate);
        for (long done = 0; done < total; done += BlockSamples) stream.Append(_block, BlockSamples);
        stream.CompleteRun();
        return sink;
    }
}
