namespace EphysPipeline.Report.Statistics;

/// <summary>One cluster of adjacent frequency bins whose statistic (F, or t of either sign) passed the threshold.</summary>
public readonly record struct FrequencyCluster(int First, int Last, double Statistic, double P, double MeanDifference);

/// <summary>
/// The observed statistic per bin (F for two groups, t for paired differences), the cluster-forming threshold, the
/// clusters with their permutation p-values, the size of the permutation null and whether it enumerated every
/// distinct permutation.
/// </summary>
public sealed record ClusterTestResult(double[] Statistic, double Threshold, IReadOnlyList<FrequencyCluster> Clusters,
    int Permutations, bool Exact = false);

/// <summary>
/// Two-group cluster permutation test along one axis (Maris &amp; Oostenveld 2007), with the defaults of
/// mne.stats.permutation_cluster_test for two groups: one-way F per bin (scipy f_oneway), threshold F(1, N−2) at
/// p = 0.05, clusters = runs of adjacent bins with F &gt; threshold, cluster statistic = sum of F, null = maximum cluster
/// statistic (0 when none) over random relabellings, the observed labelling counted as the first member of the null,
/// p = fraction of the null ≥ the cluster's statistic. Bins where any value is not finite never join a cluster.
/// </summary>
public static class ClusterPermutation
{
    public const int DefaultPermutations = 1024;
    public const ulong DefaultSeed = 20260102;

    /// <param name="groupA">nA rows (subjects) of <paramref name="bins"/> values, row-major.</param>
    /// <param name="groupB">nB rows of the same bins.</param>
    public static ClusterTestResult Test(ReadOnlySpan<double> groupA, int nA, ReadOnlySpan<double> groupB, int nB, int bins,
        int permutations = DefaultPermutations, ulong seed = DefaultSeed, double alpha = 0.05)
    {
        if (nA < 1 || nB < 1 || nA + nB < 3 || groupA.Length != nA * bins || groupB.Length != nB * bins)
            return Empty(bins);
        int n = nA + nB;
        var data = new double[n * bins];
        groupA.CopyTo(data);
        groupB.CopyTo(data.AsSpan(nA * bins));
        double threshold = Distributions.FThreshold(alpha, n - 2);

        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i;
        var f = new double[bins];
        FStatistics(data, labels, nA, bins, f);
        var observed = FindClusters(f, threshold, twoTailed: false);

        var nullMax = new double[permutations];
        nullMax[0] = observed.Count == 0 ? 0 : observed.Max(c => c.Sum);
        var rng = new SplitMix64(seed);
        var scratch = new double[bins];
        for (int p = 1; p < permutations; p++)
        {
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (labels[i], labels[j]) = (labels[j], labels[i]);
            }
            FStatistics(data, labels, nA, bins, scratch);
            nullMax[p] = MaxClusterMass(scratch, threshold, twoTailed: false);
        }

        var clusters = new List<FrequencyCluster>(observed.Count);
        foreach (var (first, last, sum) in observed)
        {
            int exceed = 0;
            foreach (var h in nullMax) if (h >= sum) exceed++;
            double diff = 0;
            for (int b = first; b <= last; b++) diff += GroupMean(groupA, nA, bins, b) - GroupMean(groupB, nB, bins, b);
            clusters.Add(new FrequencyCluster(first, last, sum, (double)exceed / permutations, diff / (last - first + 1)));
        }
        return new ClusterTestResult(f, threshold, clusters, permutations);
    }

    /// <summary>Seed of the random sign flips of <see cref="OneSample"/> when the flips are too many to enumerate.</summary>
    public const ulong DefaultSignFlipSeed = 20260104;

    /// <summary>
    /// One-sample (paired-difference) cluster permutation test with the defaults of
    /// mne.stats.permutation_cluster_1samp_test: t = mean/(sd/√n) per bin, two-tailed threshold t(n−1) at 1 − α/2,
    /// clusters = runs of bins with t &gt; threshold or t &lt; −threshold, cluster statistic = sum of t, null = the largest
    /// |cluster statistic| per sign flip (0 when none), p = share of the null ≥ |statistic|. Subject 0 keeps its sign
    /// (flipping every sign gives the same |statistic|), so the null has 2ⁿ⁻¹ members, the identity among them; when
    /// 2ⁿ⁻¹ ≤ <paramref name="permutations"/> they are all enumerated (exact), otherwise the observed flip plus
    /// permutations − 1 distinct random ones.
    /// </summary>
    /// <param name="differences">n rows (subjects) of <paramref name="bins"/> paired differences, row-major.</param>
    public static ClusterTestResult OneSample(ReadOnlySpan<double> differences, int n, int bins,
        int permutations = DefaultPermutations, ulong seed = DefaultSignFlipSeed, double alpha = 0.05)
    {
        if (n < 2 || differences.Length != n * bins || permutations < 1) return Empty(bins);
        var data = differences.ToArray();
        double threshold = Distributions.StudentTIsf(alpha / 2, n - 1);
        var signs = new double[n];
        Array.Fill(signs, 1.0);
        var t = new double[bins];
        TStatistics(data, signs, bins, t);
        var observed = FindClusters(t, threshold, twoTailed: true);

        // MNE's exact test: 2^(n−1) − 1 non-identity flips are fewer than the permutations asked for.
        bool exact = n - 1 < 31 && (1L << (n - 1)) <= permutations;
        var masks = exact ? Enumerable.Range(0, 1 << (n - 1)).Select(m => (ulong)m).ToList() : RandomMasks(n, permutations, seed);
        var nullMax = new double[masks.Count];
        var scratch = new double[bins];
        for (int k = 0; k < masks.Count; k++)
        {
            if (masks[k] == 0) { nullMax[k] = observed.Count == 0 ? 0 : observed.Max(c => Math.Abs(c.Sum)); continue; }
            for (int i = 1; i < n; i++) signs[i] = i - 1 < 64 && ((masks[k] >> (i - 1)) & 1) == 1 ? -1.0 : 1.0;
            TStatistics(data, signs, bins, scratch);
            nullMax[k] = MaxClusterMass(scratch, threshold, twoTailed: true);
        }

        var clusters = new List<FrequencyCluster>(observed.Count);
        foreach (var (first, last, sum) in observed)
        {
            int exceed = 0;
            foreach (var h in nullMax) if (h >= Math.Abs(sum)) exceed++;
            double diff = 0;
            for (int b = first; b <= last; b++) diff += GroupMean(data, n, bins, b);
            clusters.Add(new FrequencyCluster(first, last, sum, (double)exceed / nullMax.Length, diff / (last - first + 1)));
        }
        return new ClusterTestResult(t, threshold, clusters, nullMax.Length, exact);
    }

    /// <summary>
    /// The identity (mask 0) and permutations − 1 distinct random non-identity flips of subjects 1..n−1 (bit i − 1 set
    /// = subject i flipped), as MNE draws without replacement; beyond 65 subjects the bits past 64 are not flipped.
    /// </summary>
    private static List<ulong> RandomMasks(int n, int permutations, ulong seed)
    {
        var rng = new SplitMix64(seed);
        int bits = Math.Min(n - 1, 64);
        ulong keep = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var seen = new HashSet<ulong> { 0 };
        var masks = new List<ulong>(permutations) { 0 };
        while (masks.Count < permutations)
        {
            ulong m = rng.Next() & keep;
            if (seen.Add(m)) masks.Add(m);
        }
        return masks;
    }

    /// <summary>One-sample t per bin of the rows multiplied by their signs (two-pass variance, ddof 1).</summary>
    private static void TStatistics(double[] data, double[] signs, int bins, Span<double> t)
    {
        int n = signs.Length;
        for (int b = 0; b < bins; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += signs[i] * data[i * bins + b];
            double mean = sum / n, ss = 0;
            for (int i = 0; i < n; i++) { double d = signs[i] * data[i * bins + b] - mean; ss += d * d; }
            t[b] = mean / Math.Sqrt(ss / (n - 1) / n);
        }
    }

    private static double GroupMean(ReadOnlySpan<double> group, int rows, int bins, int bin)
    {
        double s = 0;
        for (int r = 0; r < rows; r++) s += group[r * bins + bin];
        return s / rows;
    }

    /// <summary>One-way F for two groups per bin; rows labels[0..nA) form group A.</summary>
    private static void FStatistics(double[] data, int[] labels, int nA, int bins, Span<double> f)
    {
        int n = labels.Length, nB = n - nA;
        for (int b = 0; b < bins; b++)
        {
            double sa = 0, sb = 0;
            for (int i = 0; i < nA; i++) sa += data[labels[i] * bins + b];
            for (int i = nA; i < n; i++) sb += data[labels[i] * bins + b];
            double ma = sa / nA, mb = sb / nB, grand = (sa + sb) / n;
            double within = 0;
            for (int i = 0; i < nA; i++) { double d = data[labels[i] * bins + b] - ma; within += d * d; }
            for (int i = nA; i < n; i++) { double d = data[labels[i] * bins + b] - mb; within += d * d; }
            double between = nA * (ma - grand) * (ma - grand) + nB * (mb - grand) * (mb - grand);
            f[b] = between / (within / (n - 2));
        }
    }

    private static ClusterTestResult Empty(int bins) => new(Enumerable.Repeat(double.NaN, bins).ToArray(), double.NaN, [], 0);

    /// <summary>
    /// Runs of adjacent bins with s &gt; threshold (and, two-tailed, runs with s &lt; −threshold, kept apart from the
    /// positive ones as MNE does); the cluster statistic is the signed sum of s. Infinite s never joins a cluster.
    /// </summary>
    private static List<(int First, int Last, double Sum)> FindClusters(ReadOnlySpan<double> s, double threshold, bool twoTailed)
    {
        var clusters = new List<(int, int, double)>();
        for (int b = 0; b < s.Length;)
        {
            int sign = Side(s[b], threshold, twoTailed);
            if (sign == 0) { b++; continue; }
            int first = b;
            double sum = 0;
            while (b < s.Length && Side(s[b], threshold, twoTailed) == sign) sum += s[b++];
            clusters.Add((first, b - 1, sum));
        }
        return clusters;
    }

    /// <summary>The largest |cluster statistic| (0 when no bin passes the threshold).</summary>
    private static double MaxClusterMass(ReadOnlySpan<double> s, double threshold, bool twoTailed)
    {
        double best = 0, run = 0;
        int side = 0;
        foreach (var v in s)
        {
            int sign = Side(v, threshold, twoTailed);
            if (sign != side) run = 0;
            side = sign;
            if (sign == 0) continue;
            run += v;
            best = Math.Max(best, Math.Abs(run));
        }
        return best;
    }

    private static int Side(double v, double threshold, bool twoTailed) =>
        double.IsInfinity(v) ? 0 : v > threshold ? 1 : twoTailed && v < -threshold ? -1 : 0;
}
