using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing.Tests;

public class RobustStatisticsTests
{
    /// <summary>numpy.median of the finite values, by a full sort.</summary>
    private static double SortedMedian(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0) return double.NaN;
        int n = finite.Length;
        return n % 2 == 1 ? finite[n / 2] : 0.5 * (finite[n / 2 - 1] + finite[n / 2]);
    }

    public static TheoryData<string, int> Shapes() => new()
    {
        { "gaussian", 1 }, { "gaussian", 2 }, { "gaussian", 23 }, { "gaussian", 24 }, { "gaussian", 120_000 }, { "gaussian", 120_001 },
        { "int16 steps", 50_000 }, { "int16 steps", 50_001 }, { "all equal", 10_000 }, { "two values", 9_999 },
        { "sorted", 100_000 }, { "reversed", 100_000 }, { "organ pipe", 100_000 }, { "with NaN and inf", 30_000 },
    };

    private static double[] Make(string shape, int n)
    {
        var rng = new Random(n);
        return Enumerable.Range(0, n).Select(i => shape switch
        {
            "gaussian" => rng.NextDouble() - rng.NextDouble(),
            "int16 steps" => Math.Round((rng.NextDouble() - 0.5) * 40) * 1.95e-7,
            "all equal" => 3.25,
            "two values" => rng.Next(2) == 0 ? -1.0 : 2.0,
            "sorted" => i,
            "reversed" => n - i,
            "organ pipe" => Math.Min(i, n - i),
            _ => i % 97 == 0 ? double.NaN : i % 89 == 0 ? double.PositiveInfinity : rng.NextDouble(),
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SelectionGivesTheSortedMedianBitForBit(string shape, int n)
    {
        var values = Make(shape, n);
        double expected = SortedMedian(values);
        var work = (double[])values.Clone();
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(RobustStatistics.MedianInPlace(work)));

        double expectedMad = SortedMedian(values.Select(v => Math.Abs(v - expected)));
        var (median, mad) = RobustStatistics.MedianAndMad(values);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(median));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expectedMad), BitConverter.DoubleToInt64Bits(mad));
    }

    [Fact]
    public void NoFiniteValueGivesNaN()
    {
        Assert.True(double.IsNaN(RobustStatistics.MedianInPlace(new[] { double.NaN, double.PositiveInfinity })));
        Assert.True(double.IsNaN(RobustStatistics.MedianInPlace(Span<double>.Empty)));
    }

    [Fact]
    public void DetectorsGiveTheSameResultOnAnyThreadCount()
    {
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 12).Select(c => Enumerable.Range(0, 200_000).Select(_ => (rng.NextDouble() - 0.5) * 1e-4 * (c == 3 ? 1e-4 : 1)).ToArray()).ToArray();
        for (int t = 50_000; t < 50_200; t++) rows[7][t] += 5e-3;
        rows[2][150_000] = double.NaN;
        rows[9][190_000] = 1;

        var bad1 = BadChannelDetector.Detect(new ArrayRecording(rows, 1000), new BadChannelOptions(BudgetSamples: 40_000));
        var bad2 = BadChannelDetector.Detect(new ArrayRecording(rows, 1000), new BadChannelOptions(BudgetSamples: 40_000), threads: 2);
        Assert.Equal(bad1, bad2, new ReportComparer());
        Assert.Contains(bad1.Bad, b => b.Position == 3 && b.Reason == BadChannelReason.Flat);

        var good = bad1.Good.Select(c => rows[c]).ToArray();
        var art1 = ArtifactDetector.Detect(new ArrayRecording(good, 1000, preferredBlock: 150_000));
        var art2 = ArtifactDetector.Detect(new ArrayRecording(good, 1000, preferredBlock: 150_000), threads: 2);
        Assert.Equal(art1.Thresholds, art2.Thresholds);
        Assert.Equal(art1.Mask.Intervals, art2.Mask.Intervals);
        Assert.Contains(art1.Mask.Intervals, i => i.Start <= 50_000 && i.Stop >= 50_200);
        Assert.Contains(art1.Mask.Intervals, i => i.Start <= 190_000 && i.Stop > 190_000);
    }

    private sealed class ReportComparer : IEqualityComparer<BadChannelReport>
    {
        public bool Equals(BadChannelReport? x, BadChannelReport? y) =>
            x is not null && y is not null && x.Bad.SequenceEqual(y.Bad) && x.Good.SequenceEqual(y.Good);

        public int GetHashCode(BadChannelReport obj) => obj.Good.Count;
    }
}
