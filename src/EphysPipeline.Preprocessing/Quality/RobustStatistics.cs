using System.Buffers;
using System.Numerics;

namespace EphysPipeline.Preprocessing.Quality;

/// <summary>Median and median absolute deviation, numpy conventions (even count: mean of the middle two).</summary>
public static class RobustStatistics
{
    /// <summary>The normal-consistency factor of the MAD: σ ≈ 1.4826·MAD for Gaussian data.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>Below this many values a range is sorted rather than partitioned.</summary>
    private const int SortBelow = 24;

    /// <summary>Median of the finite values (NaN when there is none). Reorders <paramref name="values"/>.</summary>
    /// <remarks>
    /// Selection, not a sort: the same order statistics (so the same median bits as numpy.median), in linear
    /// expected time — a 120 000-value channel sample costs about a millisecond instead of a sort's ten.
    /// </remarks>
    public static double MedianInPlace(Span<double> values)
    {
        int n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i])) values[n++] = values[i];
        }
        if (n == 0) return double.NaN;
        var finite = values[..n];
        int k = n / 2;
        double upper = Select(finite, k);
        if (n % 2 == 1) return upper;
        // Select leaves the k smallest values before position k: their maximum is the (k − 1)-th order statistic.
        double lower = finite[0];
        for (int i = 1; i < k; i++) lower = Math.Max(lower, finite[i]);
        return 0.5 * (lower + upper);
    }

    /// <summary>(median, MAD) of the finite values; uses <paramref name="scratch"/> (same length) as work space.</summary>
    public static (double Median, double Mad) MedianAndMad(ReadOnlySpan<double> values, Span<double> scratch)
    {
        var work = scratch[..values.Length];
        values.CopyTo(work);
        double median = MedianInPlace(work);
        for (int i = 0; i < values.Length; i++) work[i] = Math.Abs(values[i] - median);
        return (median, MedianInPlace(work));
    }

    /// <summary>(median, MAD) of the finite values, with pooled work space (safe on several threads at once).</summary>
    public static (double Median, double Mad) MedianAndMad(ReadOnlySpan<double> values)
    {
        var scratch = ArrayPool<double>.Shared.Rent(values.Length);
        try
        {
            return MedianAndMad(values, scratch);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The k-th smallest of <paramref name="a"/> (finite values), leaving every smaller-ranked value before k and
    /// every larger-ranked one after it. Three-way partitions (integer-valued recordings repeat values a lot) around a
    /// median-of-three pivot; a range that does not shrink fast enough is sorted, so the worst case stays n log n.
    /// </summary>
    private static double Select(Span<double> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        int budget = 2 * (BitOperations.Log2((uint)a.Length) + 1);
        while (hi > lo)
        {
            if (hi - lo < SortBelow || budget-- == 0)
            {
                a[lo..(hi + 1)].Sort();
                return a[k];
            }
            double pivot = MedianOfThree(a[lo], a[lo + (hi - lo) / 2], a[hi]);
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                double v = a[i];
                if (v < pivot)
                {
                    a[i++] = a[lt];
                    a[lt++] = v;
                }
                else if (v > pivot)
                {
                    a[i] = a[gt];
                    a[gt--] = v;
                }
                else i++;
            }
            // [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return a[k];
        }
        return a[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
