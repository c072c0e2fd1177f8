using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EphysPipeline.Entropy;

namespace EphysPipeline.Benchmarks.Entropy;

/// <summary>
/// Why: sample-entropy counting moved from an all-pairs sweep along diagonals (AVX-512 double compares, O(n²)) to
/// sorted neighbours (TemplateMatchCounter). The previous kernel is kept here as each category's Baseline so the
/// speed-up is a ratio measured in the same run under the same load, and setup checks that both count the same
/// pairs. The machine is shared, so read the ratios rather than the absolute times.
/// What: one LFP-like window (as <see cref="EntropyKernelBenchmarks"/>), m = 2, r = 0.2·std, single thread, reused
/// scratch: sample entropy of the window, and multiscale entropy at scales 1–5 (coarse-graining included).
/// 2 000 samples = the 2 s sample-entropy window at 1 kHz, 10 000 = the 10 s multiscale window, 25 000 = that window
/// at 2.5 kHz (Neuropixels LFP).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SampleEntropyCountingBenchmarks
{
    private double[] _x = [];
    private double[] _scratch = [];
    private readonly EntropyValue[] _scales = new EntropyValue[5];

    [Params(2000, 10000, 25000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = EntropyKernelBenchmarks.LfpLike(Length, seed: 7);
        _scratch = new double[MultiscaleEntropy.ScratchLength(Length, 2)];
        double r = 0.2 * NumpyReduction.StandardDeviation(_x, _scratch);
        for (int scale = 1; scale <= _scales.Length; scale++)
        {
            var coarse = Enumerable.Range(0, Length / scale).Select(j => _x.AsSpan(j * scale, scale).ToArray().Sum() / scale).ToArray();
            if (DiagonalSweep.CountMatches(coarse, 2, r) != SampleEntropy.CountMatches(coarse, 2, r))
                throw new InvalidOperationException($"diagonal sweep and sorted neighbours disagree at scale {scale}");
        }
        if (SampleEntropyDiagonalSweep() != SampleEntropySortedNeighbours() || MultiscaleDiagonalSweep() != MultiscaleSortedNeighbours())
            throw new InvalidOperationException("diagonal sweep and sorted neighbours disagree");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("SampleEntropyM2")]
    public double SampleEntropyDiagonalSweep() => DiagonalSweep.SampleEntropy(_x, 2, 0.2, _scratch);

    [Benchmark, BenchmarkCategory("SampleEntropyM2")]
    public double SampleEntropySortedNeighbours() => SampleEntropy.Compute(_x, 2, 0.2, _scratch).Value;

    [Benchmark(Baseline = true), BenchmarkCategory("MultiscaleM2Scales5")]
    public double MultiscaleDiagonalSweep() => DiagonalSweep.Multiscale(_x, 2, 0.2, _scales, _scratch);

    [Benchmark, BenchmarkCategory("MultiscaleM2Scales5")]
    public double MultiscaleSortedNeighbours() => MultiscaleEntropy.Compute(_x, 2, 0.2, _scales, _scratch).Value;

    /// <summary>The sample-entropy kernel before sorted neighbours (commit 13e70b9), and its callers' paths.</summary>
    private static class DiagonalSweep
    {
        public static double SampleEntropy(ReadOnlySpan<double> x, int m, double factor, Span<double> scratch)
        {
            if (WindowCheck.Inspect(x) != EntropyIssue.None) return double.NaN;
            return WithTolerance(x, m, factor * NumpyReduction.StandardDeviation(x, scratch));
        }

        public static double Multiscale(ReadOnlySpan<double> x, int m, double factor, Span<EntropyValue> perScale, Span<double> scratch)
        {
            if (WindowCheck.Inspect(x) != EntropyIssue.None) return double.NaN;
            double r = factor * NumpyReduction.StandardDeviation(x, scratch);
            for (int scale = 1; scale <= perScale.Length; scale++)
            {
                var coarse = MultiscaleEntropy.CoarseGrain(x, scale, scratch);
                double value = WithTolerance(coarse, m, r);
                perScale[scale - 1] = double.IsFinite(value) ? EntropyValue.Of(value) : EntropyValue.Invalid(EntropyIssue.NoMatches);
            }
            return MultiscaleEntropy.AreaUnderCurve(perScale).Value;
        }

        private static double WithTolerance(ReadOnlySpan<double> x, int m, double r)
        {
            if (WindowCheck.Inspect(x) == EntropyIssue.NonFinite) return double.NaN;
            var (a, b) = CountMatches(x, m, r);
            return b == 0 || a == 0 ? double.NaN : -Math.Log((double)a / b);
        }

        public static (long A, long B) CountMatches(ReadOnlySpan<double> x, int m, double r)
        {
            int n = x.Length;
            long a = 0, b = 0;
            ref double x0 = ref Unsafe.AsRef(in x[0]);
            var rv = Vector512.Create(r);
            for (int k = 1; k < n - m; k++)
            {
                int length = n - k;          // positions i with x[i] and x[i+k] both present
                int starts = n - m - k;      // valid template starts i
                ulong previous = 0;
                int baseIndex = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    ref double xk = ref Unsafe.Add(ref x0, k);
                    for (; baseIndex + 64 <= length; baseIndex += 64)
                    {
                        ulong word = Block64(ref x0, ref xk, baseIndex, rv);
                        Count(word, ref previous, baseIndex, starts, m, ref a, ref b);
                    }
                }
                for (; baseIndex < length; baseIndex += 64)
                {
                    ulong word = MatchWord(ref x0, baseIndex, k, Math.Min(64, length - baseIndex), r);
                    Count(word, ref previous, baseIndex, starts, m, ref a, ref b);
                }
            }
            return (a, b);
        }

        /// <summary>Adds the m- and (m+1)-runs of matches that end in this word and start at a valid template.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Count(ulong word, ref ulong previous, int baseIndex, int starts, int m, ref long a, ref long b)
        {
            ulong runM = word;
            for (int s = 1; s < m; s++) runM &= (word << s) | (previous >> (64 - s));
            ulong runM1 = runM & ((word << m) | (previous >> (64 - m)));
            previous = word;
            b += BitOperations.PopCount(runM & EndMask(baseIndex, starts + m - 1));
            a += BitOperations.PopCount(runM1 & EndMask(baseIndex, starts + m));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Block64(ref double x0, ref double xk, int baseIndex, Vector512<double> r)
        {
            nuint at = (nuint)baseIndex;
            ulong word = Bits8(ref x0, ref xk, at, r);
            word |= Bits8(ref x0, ref xk, at + 8, r) << 8;
            word |= Bits8(ref x0, ref xk, at + 16, r) << 16;
            word |= Bits8(ref x0, ref xk, at + 24, r) << 24;
            word |= Bits8(ref x0, ref xk, at + 32, r) << 32;
            word |= Bits8(ref x0, ref xk, at + 40, r) << 40;
            word |= Bits8(ref x0, ref xk, at + 48, r) << 48;
            word |= Bits8(ref x0, ref xk, at + 56, r) << 56;
            return word;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Bits8(ref double x0, ref double xk, nuint at, Vector512<double> r) =>
            Vector512.LessThan(Vector512.Abs(Vector512.LoadUnsafe(ref x0, at) - Vector512.LoadUnsafe(ref xk, at)), r).ExtractMostSignificantBits();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong EndMask(int baseIndex, int limit)
        {
            int count = limit - baseIndex;
            if (count >= 64) return ulong.MaxValue;
            return count <= 0 ? 0 : (1UL << count) - 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong MatchWord(ref double x0, int baseIndex, int k, int count, double r)
        {
            ulong word = 0;
            int e = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var rv = Vector512.Create(r);
                for (; e + 8 <= count; e += 8)
                {
                    var d = Vector512.LoadUnsafe(ref x0, (nuint)(baseIndex + e)) - Vector512.LoadUnsafe(ref x0, (nuint)(baseIndex + e + k));
                    word |= Vector512.LessThan(Vector512.Abs(d), rv).ExtractMostSignificantBits() << e;
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var rv = Vector256.Create(r);
                for (; e + 4 <= count; e += 4)
                {
                    var d = Vector256.LoadUnsafe(ref x0, (nuint)(baseIndex + e)) - Vector256.LoadUnsafe(ref x0, (nuint)(baseIndex + e + k));
                    word |= (ulong)Vector256.LessThan(Vector256.Abs(d), rv).ExtractMostSignificantBits() << e;
                }
            }
            for (; e < count; e++)
            {
                double d = Unsafe.Add(ref x0, baseIndex + e) - Unsafe.Add(ref x0, baseIndex + e + k);
                if (Math.Abs(d) < r) word |= 1UL << e;
            }
            return word;
        }
    }
}
