using BenchmarkDotNet.Attributes;
using EphysPipeline.Phase;

namespace EphysPipeline.Benchmarks.Phase;

/// <summary>
/// Why: Σ Im S and Σ|Im S| over every channel pair (the wPLI sums) are the largest part of the phase stage on dense
/// probes: at 384 channels they took more thread time than the zherk/zgemm tiles of PLV. Measures one call on a
/// block of 4096 samples (the accumulator's update size), all tile rows on one thread: pair-samples per second is
/// Pairs × 4096 / time. Stride 4096 puts every row 32 KiB apart, in the same L1 sets; 4104 is the accumulator's layout
/// (a multiple of 4 KiB plus one cache line).
/// </summary>
[MemoryDiagnoser]
public class ImaginaryCrossSumsBenchmarks
{
    private const int Samples = 4096;
    private double[] _re = [], _im = [], _imag = [], _abs = [];

    [Params(64, 384)]
    public int Channels { get; set; }

    [Params(4096, 4104)]
    public int Stride { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _re = Enumerable.Range(0, Channels * Stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        _im = Enumerable.Range(0, Channels * Stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        _imag = new double[Channels * Channels];
        _abs = new double[Channels * Channels];
    }

    [Benchmark]
    public double AllPairs()
    {
        ImaginaryCrossSums.Accumulate(_re, _im, Channels, Samples, Stride, _imag, _abs, 0, Channels / ImaginaryCrossSums.Tile);
        return _abs[1];
    }
}
