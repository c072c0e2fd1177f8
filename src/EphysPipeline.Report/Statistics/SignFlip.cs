namespace EphysPipeline.Report.Statistics;

/// <summary>
/// Sign-flip permutation test of a mean difference against 0, as scipy.stats.permutation_test((d,), mean,
/// permutation_type='samples') in scipy 1.10: all 2ⁿ sign vectors when n ≤ <see cref="ExactMaxN"/> (p = share of the
/// null ≤/≥ the observed mean, two-sided 2·min, capped at 1, ties within 1e-14 relative), otherwise
/// <see cref="RandomFlips"/> seeded random flips with the observed statistic added to both counts.
/// </summary>
public static class SignFlip
{
    public const int ExactMaxN = 16;
    public const int RandomFlips = 9999;
    public const ulong DefaultSeed = 20260103;

    public static TestResult Test(ReadOnlySpan<double> d, ulong seed = DefaultSeed)
    {
        int n = d.Length;
        if (n < 1) return TestResult.NotComputable("no pairs");
        double observed = Sum(d, 0UL);
        double gamma = Math.Abs(1e-14 * observed);
        long less = 0, greater = 0, total;
        bool exact = n <= ExactMaxN;
        if (exact)
        {
            total = 1L << n;
            for (ulong mask = 0; mask < (ulong)total; mask++) Count(Sum(d, mask));
        }
        else
        {
            total = RandomFlips;
            var rng = new SplitMix64(seed);
            for (int k = 0; k < RandomFlips; k++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += (rng.Next() >> 63) == 1 ? -d[i] : d[i];
                Count(s);
            }
        }
        int adjust = exact ? 0 : 1;
        double p = 2 * Math.Min((less + adjust) / (double)(total + adjust), (greater + adjust) / (double)(total + adjust));
        return new TestResult(observed / n, Math.Min(1.0, p), exact ? $"exact ({total} sign flips)" : $"{RandomFlips} random sign flips");

        void Count(double s)
        {
            if (s <= observed + gamma) less++;
            if (s >= observed - gamma) greater++;
        }
    }

    /// <summary>Σ ±d_i with bit i of <paramref name="mask"/> set meaning a flipped sign, summed in index order.</summary>
    private static double Sum(ReadOnlySpan<double> d, ulong mask)
    {
        double s = 0;
        for (int i = 0; i < d.Length; i++) s += ((mask >> i) & 1) == 1 ? -d[i] : d[i];
        return s;
    }
}
