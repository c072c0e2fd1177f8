using BenchmarkDotNet.Attributes;
using EphysPipeline.Entropy;

namespace EphysPipeline.Benchmarks.Entropy;

/// <summary>
/// Why: this machine is shared and heavily loaded, so absolute times are not comparable with antropy's published
/// figures. This class runs antropy's algorithms (sample entropy: O(N²) diagonal sweep with running mismatch
/// counts, as its numba kernel; LZ76: the Kaspar–Schuster scan; permutation entropy: per-row argsort, hash, sort and
/// count as its numpy code) as plain scalar C# in the same run as our kernels,
/// so the speed-up of the algorithms and SIMD is a ratio measured under the same load.
/// What: one window of LFP-like data per call, single thread; the Baseline is antropy's algorithm.
/// </summary>
[MemoryDiagnoser]
public class AntropyAlgorithmBenchmarks
{
    private double[] _x = [];
    private double[] _scratch = [];
    private ulong[] _bits = [];
    private int[] _automaton = [];
    private uint[] _symbols = [];
    private double _r;
    private long[] _hashes = [];
    private readonly int[] _histogram = new int[PermutationEntropy.PatternCount(5)];

    [Params(2000, 10000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = EntropyKernelBenchmarks.LfpLike(Length, seed: 7);
        _scratch = new double[SampleEntropy.ScratchLength(Length, 2)];
        _bits = new ulong[MedianSplit.WordCount(Length)];
        _automaton = new int[LempelZiv.AutomatonSize(Length)];
        _r = 0.2 * NumpyReduction.StandardDeviation(_x, _scratch);
        double median = MedianSplit.Median(_x, _scratch);
        _symbols = _x.Select(v => v > median ? 1u : 0u).ToArray();
        _hashes = new long[Length];
        if (ScalarSampleEntropy(_x, 2, _r) != SampleEntropy.ComputeWithTolerance(_x, 2, _r).Value
            || Math.Abs(ArgsortPermutationEntropy() - PermutationEntropy.Compute(_x, 5, 1).Value) > 1e-12
            || ScalarLempelZiv(_symbols) != (int)LempelZiv.ComputeMedianSplit(_x).Raw.Value)
            throw new InvalidOperationException("baseline and kernel disagree");
    }

    [Benchmark(Baseline = true)]
    public double SampleEntropyAntropyAlgorithm() => ScalarSampleEntropy(_x, 2, _r);

    [Benchmark]
    public double SampleEntropyKernel() => SampleEntropy.ComputeWithTolerance(_x, 2, _r, _scratch).Value;

    [Benchmark]
    public double PermutationOrder5AntropyAlgorithm() => ArgsortPermutationEntropy();

    [Benchmark]
    public double PermutationOrder5Kernel() => PermutationEntropy.Compute(_x, 5, 1, _histogram).Value;

    [Benchmark]
    public int LempelZivAntropyAlgorithm() => ScalarLempelZiv(_symbols);

    [Benchmark]
    public int LempelZivKernel()
    {
        MedianSplit.Binarize(_x, MedianSplit.Median(_x, _scratch), _bits);
        return LempelZiv.Complexity(_bits, Length, _automaton);
    }

    /// <summary>antropy's way: argsort each embedded row, hash Σ rank·order^k, sort the hashes, count equal runs.</summary>
    private double ArgsortPermutationEntropy()
    {
        const int order = 5;
        int patterns = _x.Length - order + 1;
        Span<int> idx = stackalloc int[order];
        for (int t = 0; t < patterns; t++)
        {
            for (int i = 0; i < order; i++) idx[i] = i;
            for (int i = 1; i < order; i++)
                for (int j = i; j > 0 && _x[t + idx[j - 1]] > _x[t + idx[j]]; j--) (idx[j - 1], idx[j]) = (idx[j], idx[j - 1]);
            long hash = 0, mult = 1;
            for (int i = 0; i < order; i++, mult *= order) hash += idx[i] * mult;
            _hashes[t] = hash;
        }
        Array.Sort(_hashes, 0, patterns);
        double h = 0;
        for (int start = 0; start < patterns;)
        {
            int end = start;
            while (end < patterns && _hashes[end] == _hashes[start]) end++;
            double p = (double)(end - start) / patterns;
            h -= p * Math.Log(p) / Math.Log(2);
            start = end;
        }
        return h / Math.Log2(120);
    }

    /// <summary>Per diagonal k, a sliding count of mismatches over the last m (B) and m+1 (A) positions.</summary>
    private static double ScalarSampleEntropy(double[] x, int m, double r)
    {
        int n = x.Length;
        long a = 0, b = 0;
        for (int k = 1; k < n - m; k++)
        {
            int missM = 0, missM1 = 0;
            for (int l = 0; l < m; l++) missM += Math.Abs(x[l] - x[l + k]) >= r ? 1 : 0;
            missM1 = missM + (Math.Abs(x[m] - x[m + k]) >= r ? 1 : 0);
            if (missM == 0) b++;
            if (missM1 == 0) a++;
            for (int i = 1; i < n - k - m; i++)
            {
                int outgoing = Math.Abs(x[i - 1] - x[i - 1 + k]) >= r ? 1 : 0;
                int lastOfM = Math.Abs(x[i + m - 1] - x[i + m - 1 + k]) >= r ? 1 : 0;
                int incoming = Math.Abs(x[i + m] - x[i + m + k]) >= r ? 1 : 0;
                missM += lastOfM - outgoing;
                missM1 += incoming - outgoing;
                if (missM == 0) b++;
                if (missM1 == 0) a++;
            }
        }
        return b == 0 ? double.NaN : a == 0 ? double.PositiveInfinity : -Math.Log((double)a / b);
    }

    /// <summary>Kaspar–Schuster: for each phrase, try every earlier start one symbol at a time.</summary>
    private static int ScalarLempelZiv(uint[] s)
    {
        int n = s.Length, complexity = 1, prefix = 1, length = 1, maxLength = 1, pointer = 0;
        while (prefix + length <= n)
        {
            if (s[pointer + length - 1] == s[prefix + length - 1])
            {
                length++;
            }
            else
            {
                maxLength = Math.Max(length, maxLength);
                if (++pointer == prefix)
                {
                    complexity++;
                    prefix += maxLength;
                    pointer = 0;
                    maxLength = 1;
                }
                length = 1;
            }
        }
        return length != 1 ? complexity + 1 : complexity;
    }
}
