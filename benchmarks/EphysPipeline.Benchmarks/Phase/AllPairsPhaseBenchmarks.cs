using System.Numerics;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Native.OpenBlas;
using EphysPipeline.Phase;

namespace EphysPipeline.Benchmarks.Phase;

/// <summary>
/// Why: all-pairs PLV and wPLI cost O(channels² × samples) and dominate the phase engine on dense probes.
/// Measures one band of 5 min at 1 kHz with precomputed analytic signals, streamed the way the runner feeds
/// the accumulator (blocks of 4096 samples; one block's data reused so that 384 channels × 5 min does not need
/// 1.8 GB of phasors); one thread, and two threads over fixed tiles (same result bits). Compare with numpy's np.abs(u @ u.conj().T) on the same sizes:
/// /usr/bin/python3 benchmarks/EphysPipeline.Benchmarks/Phase/numpy_allpairs_plv.py (same machine, same run).
/// </summary>
[MemoryDiagnoser]
public class AllPairsPhaseBenchmarks
{
    private const int Block = 4096;
    private AnalyticBlock _block;

    [Params(64, 384)]
    public int Channels { get; set; }

    [Params(300_000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var z = new Complex[Channels * Block];
        for (int i = 0; i < z.Length; i++) z[i] = Complex.FromPolarCoordinates(1, (rng.NextDouble() * 2 - 1) * Math.PI);
        _block = AnalyticBlock.FromComplex(z, Channels, Block);
    }

    private PairwisePhaseResult Run(bool includeWpli, int threads = 1)
    {
        var accumulator = new PairwisePhaseAccumulator(Channels, OpenBlasProvider.Shared, default, Block, includeWpli, threads);
        for (int done = 0; done < Samples; done += Block)
        {
            int count = Math.Min(Block, Samples - done);
            accumulator.Append(count == Block ? _block : _block.Samples(0, count));
        }
        return accumulator.Result();
    }

    [Benchmark(Baseline = true)]
    public double Plv() => Run(false).Plv[1];

    [Benchmark]
    public double PlvTwoThreads() => Run(false, 2).Plv[1];

    [Benchmark]
    public double PlvAndWpli() => Run(true).Wpli[1];
}
