using EphysPipeline.Native.Fftw;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Entropy;

namespace EphysPipeline.Benchmarks.Entropy;

/// <summary>
/// Why: entropy is the slowest metric family in Python (antropy 0.1.9: PE order 5 over 32 ch × 24 min in 10 s
/// windows 3.7 s, LZ on the same windows 48 s, sample entropy 5.8 ms per 2000-sample window); the goal is ≥ 20×.
/// What: one window of an LFP-like signal (AR(1) noise + 8 Hz theta) through each single-threaded kernel, with
/// reused buffers as the streaming accumulator does. Scale to the antropy workload with 4608 windows (32 × 144).
/// </summary>
[MemoryDiagnoser]
public class EntropyKernelBenchmarks
{
    private double[] _x = [];
    private double[] _scratch = [];
    private ulong[] _bits = [];
    private int[] _automaton = [];
    private readonly int[] _histogram = new int[PermutationEntropy.PatternCount(PermutationEntropy.MaxOrder)];
    private readonly EntropyValue[] _scales = new EntropyValue[5];

    /// <summary>Window length in samples (2 s and 10 s at 1 kHz).</summary>
    [Params(2000, 10000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = LfpLike(Length, seed: 7);
        _scratch = new double[MultiscaleEntropy.ScratchLength(Length, 2)];   // also covers LZ and sample entropy
        _bits = new ulong[MedianSplit.WordCount(Length)];
        _automaton = new int[LempelZiv.AutomatonSize(Length)];
    }

    [Benchmark]
    public double PermutationOrder5() => PermutationEntropy.Compute(_x, 5, 1, _histogram).Value;

    [Benchmark]
    public double LempelZivMedianSplit() => LempelZiv.ComputeMedianSplit(_x, _scratch, _bits, _automaton).Raw.Value;

    [Benchmark]
    public double SampleEntropyM2() => SampleEntropy.Compute(_x, 2, 0.2, _scratch).Value;

    [Benchmark]
    public double MultiscaleM2Scales5() => MultiscaleEntropy.Compute(_x, 2, 0.2, _scales, _scratch).Value;

    [Benchmark]
    public double SpectralWelch() => SpectralEntropy.Welch(_x, 1000, Length / 5, FftwProvider.Shared).Value;

    /// <summary>AR(1) (φ = 0.95) noise plus an 8 Hz sine at fs 1 kHz, amplitude ~1e-4 V: LFP-like.</summary>
    internal static double[] LfpLike(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        double ar = 0;
        for (int i = 0; i < n; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            ar = 0.95 * ar + g;
            x[i] = 1e-5 * ar + 5e-5 * Math.Sin(2 * Math.PI * 8 * i / 1000.0);
        }
        return x;
    }
}
