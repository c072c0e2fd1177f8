using BenchmarkDotNet.Attributes;
using EphysPipeline.Native.Fftw;
using EphysPipeline.Phase;

namespace EphysPipeline.Benchmarks.Coherence;

/// <summary>
/// Why: Welch-segment coherence and the mne-connectivity measures keep per-pair, per-bin sums, so their cost grows
/// with channels² × bins × segments; on dense probes (384 channels: 73 536 pairs) this can rival all-pairs PLV.
/// What: <see cref="SegmentConnectivityAccumulator"/> for one band (theta, 6–10 Hz: 9 bins at 2 s segments, 50 %
/// overlap) over channels × minutes at 1 kHz, fed in 30 s channel-major blocks like the runner, with 1 or 2 threads.
/// Baseline: the scalar accumulator it replaced (<see cref="ScalarSegmentConnectivity"/>, always one thread), in the
/// same run so the ratio holds on a loaded machine. <see cref="SegmentsOnly"/> keeps no bin: the buffering, detrend
/// and FFT of every segment without any pair sum, i.e. the part the pair sums do not explain.
/// </summary>
[MemoryDiagnoser]
public class CoherenceBenchmarks
{
    private const double Rate = 1000;
    private double[] _block = [];

    [Params(32, 384)]
    public int Channels { get; set; }

    [Params(5)]
    public int Minutes { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    private int BlockSamples => (int)(30 * Rate);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _block = new double[Channels * BlockSamples];
        for (int i = 0; i < _block.Length; i++) _block[i] = Math.Sin(i * 0.05) + rng.NextDouble() - 0.5;
        // Both accumulators over one block must agree (last bits may differ: u_a·conj(u_b) instead of S/|S|).
        using var scalar = new ScalarSegmentConnectivity(Channels, Rate, 2000, 1000, 6, 10, FftwProvider.Shared);
        using var vector = new SegmentConnectivityAccumulator(Channels, Rate, 2000, 1000, 6, 10, FftwProvider.Shared, maxDegreeOfParallelism: Threads);
        scalar.Append(_block, BlockSamples);
        vector.Append(_block, BlockSamples);
        var (s, v) = (scalar.Result(), vector.Result());
        double worst = 0;
        foreach (var (x, y) in new[] { (s.Coherence, v.Coherence), (s.ImaginaryCoherence, v.ImaginaryCoherence), (s.Plv, v.Plv),
                     (s.Ciplv, v.Ciplv), (s.Pli, v.Pli), (s.Wpli, v.Wpli), (s.Wpli2Debiased, v.Wpli2Debiased), (s.Ppc, v.Ppc) })
            for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]));
        if (!(worst < 1e-9)) throw new InvalidOperationException($"scalar and vectorised accumulators differ by {worst:E2}");
    }

    [Benchmark(Baseline = true, Description = "scalar (before), theta band")]
    public int ScalarTheta()
    {
        using var accumulator = new ScalarSegmentConnectivity(Channels, Rate, 2000, 1000, 6, 10, FftwProvider.Shared);
        long total = (long)(Minutes * 60 * Rate);
        for (long done = 0; done < total; done += BlockSamples) accumulator.Append(_block, BlockSamples);
        _ = accumulator.Result();
        return accumulator.Segments;
    }

    [Benchmark(Description = "segment coherence + connectivity sums, theta band")]
    public int Theta()
    {
        using var accumulator = new SegmentConnectivityAccumulator(Channels, Rate, 2000, 1000, 6, 10, FftwProvider.Shared,
            maxDegreeOfParallelism: Threads);
        long total = (long)(Minutes * 60 * Rate);
        for (long done = 0; done < total; done += BlockSamples) accumulator.Append(_block, BlockSamples);
        _ = accumulator.Result();
        return accumulator.Segments;
    }

    [Benchmark(Description = "segment FFTs only (no bin kept)")]
    public int SegmentsOnly()
    {
        using var accumulator = new SegmentConnectivityAccumulator(Channels, Rate, 2000, 1000, 10, 6, FftwProvider.Shared,
            maxDegreeOfParallelism: Threads);
        long total = (long)(Minutes * 60 * Rate);
        for (long done = 0; done < total; done += BlockSamples) accumulator.Append(_block, BlockSamples);
        _ = accumulator.Result();
        return accumulator.Segments;
    }
}
