using System.Text.Json;
using EphysPipeline.Report.Statistics;
using EphysPipeline.TestSupport;
using Xunit;

namespace EphysPipeline.Report.Tests;

/// <summary>
/// The paired (sign-flip) cluster permutation test against mne.stats.permutation_cluster_1samp_test 1.3.0
/// (tests/fixtures/stats/make_cluster_1samp_expected.py).
/// </summary>
public class ClusterOneSampleConformanceTests
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("stats/cluster_1samp_expected.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) =>
        Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TThresholdClustersAndPMatchMne(string name)
    {
        var c = Case(name);
        int n = c.GetProperty("n").GetInt32(), bins = c.GetProperty("bins").GetInt32();
        var result = ClusterPermutation.OneSample(c.GetProperty("data").Doubles(), n, bins);

        // The t quantile comes from bisection on MathNet's incomplete beta, good to ~1e-10.
        double threshold = c.GetProperty("threshold").GetDouble();
        Assert.True(Math.Abs(threshold - result.Threshold) <= 1e-9 * threshold, $"{name} threshold {threshold:R} vs {result.Threshold:R}");
        var t = c.GetProperty("t").Doubles();
        for (int b = 0; b < bins; b++)
            Assert.True(Math.Abs(t[b] - result.Statistic[b]) <= 1e-10 * Math.Max(1, Math.Abs(t[b])), $"{name} t[{b}]: {t[b]:R} vs {result.Statistic[b]:R}");

        bool exact = c.GetProperty("exact").GetBoolean();
        Assert.Equal(exact, result.Exact);
        Assert.Equal(c.GetProperty("h0_size").GetInt32(), result.Permutations);
        var expected = c.GetProperty("clusters").EnumerateArray().ToList();
        var ours = result.Clusters.OrderBy(k => k.First).ToList();
        Assert.Equal(expected.Count, ours.Count);
        for (int k = 0; k < ours.Count; k++)
        {
            var e = expected[k];
            Assert.Equal(e.GetProperty("first").GetInt32(), ours[k].First);
            Assert.Equal(e.GetProperty("last").GetInt32(), ours[k].Last);
            double sum = e.GetProperty("t_sum").GetDouble();
            Assert.True(Math.Abs(sum - ours[k].Statistic) <= 1e-10 * Math.Abs(sum), $"{name} cluster {k} t sum {sum:R} vs {ours[k].Statistic:R}");
            double p = e.GetProperty("p").GetDouble();
            if (exact) Assert.Equal(p, ours[k].P); // every flip enumerated on both sides: the same count of the same null
            else
            {
                // Different random flips (our generator, not numpy's): within Monte-Carlo error of 1024 draws.
                double se = Math.Sqrt(Math.Max(p * (1 - p), 1.0 / 1024) / 1024);
                Assert.True(Math.Abs(p - ours[k].P) <= 4 * se + 1.0 / 1024, $"{name} cluster {k} p {p} vs {ours[k].P}");
            }
        }
    }

    [Fact]
    public void TheClusterMeanDifferenceIsTheMeanOfThePairedDifferencesOverItsBins()
    {
        var c = Case("n8_both_signs");
        int n = c.GetProperty("n").GetInt32(), bins = c.GetProperty("bins").GetInt32();
        var data = c.GetProperty("data").Doubles();
        var result = ClusterPermutation.OneSample(data, n, bins);
        var negative = result.Clusters.Single(k => k.First == 55);
        double expected = 0;
        for (int b = negative.First; b <= negative.Last; b++)
            expected += Enumerable.Range(0, n).Average(i => data[i * bins + b]);
        expected /= negative.Last - negative.First + 1;
        Assert.Equal(expected, negative.MeanDifference, 12);
        Assert.True(negative.Statistic < 0 && negative.MeanDifference < 0);
    }

    [Fact]
    public void UnderNoEffectTheSmallestClusterPIsRoughlyUniform()
    {
        var rng = new Random(17);
        const int datasets = 300, bins = 30, n = 8;
        var pMin = new List<double>();
        for (int d = 0; d < datasets; d++)
        {
            var x = Enumerable.Range(0, n * bins)
                .Select(_ => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();
            var result = ClusterPermutation.OneSample(x, n, bins);
            Assert.True(result.Exact);
            Assert.Equal(128, result.Permutations);
            pMin.Add(result.Clusters.Count == 0 ? 1.0 : result.Clusters.Min(k => k.P));
        }
        // Family-wise over both tails: P(any cluster p ≤ α) ≈ α; 300 datasets → binomial sd ≈ 0.013 at α = 0.05.
        Assert.InRange(pMin.Count(p => p <= 0.05) / (double)datasets, 0.015, 0.095);
        Assert.InRange(pMin.Count(p => p <= 0.20) / (double)datasets, 0.13, 0.27);
    }

    [Fact]
    public void NonFiniteBinsNeverJoinAClusterAndTooFewSubjectsGiveNoTest()
    {
        const int n = 5, bins = 12;
        var x = new double[n * bins];
        for (int i = 0; i < n; i++)
            for (int b = 0; b < bins; b++) x[i * bins + b] = 5 + 0.1 * i * (b % 3 == 0 ? -1 : 1) + 0.01 * b;
        x[2 * bins + 6] = double.NaN;
        var result = ClusterPermutation.OneSample(x, n, bins);
        Assert.True(double.IsNaN(result.Statistic[6]));
        Assert.DoesNotContain(result.Clusters, k => k.First <= 6 && k.Last >= 6);
        Assert.Equal(2, result.Clusters.Count);

        var none = ClusterPermutation.OneSample(x.AsSpan(0, bins), 1, bins);
        Assert.Empty(none.Clusters);
        Assert.Equal(0, none.Permutations);
    }

    [Fact]
    public void RandomFlipsAreSeededAndDistinct()
    {
        var c = Case("n16_random_flips");
        int n = c.GetProperty("n").GetInt32(), bins = c.GetProperty("bins").GetInt32();
        var data = c.GetProperty("data").Doubles();
        var a = ClusterPermutation.OneSample(data, n, bins);
        var b = ClusterPermutation.OneSample(data, n, bins);
        Assert.Equal(a.Clusters, b.Clusters);
        Assert.False(a.Exact);
        Assert.Equal(ClusterPermutation.DefaultPermutations, a.Permutations);
    }
}
