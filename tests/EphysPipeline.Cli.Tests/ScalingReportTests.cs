using EphysPipeline.Cli.Bench;

namespace EphysPipeline.Cli.Tests;

public class ScalingReportTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(16, new[] { 1, 2, 4, 8, 16 })]
    [InlineData(24, new[] { 1, 2, 4, 8, 16, 24 })]
    public void ThreadCountsDoubleUpToTheCpuCount(int processors, int[] expected) =>
        Assert.Equal(expected, ScalingReport.ThreadCounts(processors));

    [Fact]
    public void SpeedUpEfficiencyAndStageRowsComeFromTheRuns()
    {
        var report = new ScalingReport(BenchProfile.Standard,
        [
            new ScalingPoint(1, new ChildMeasurement(20, 20, 512L << 20, 0, null), new Dictionary<string, double> { ["phase"] = 8, ["read"] = 1 }),
            new ScalingPoint(4, new ChildMeasurement(8, 24, 600L << 20, 0, null), new Dictionary<string, double> { ["phase"] = 2, ["read"] = 1 }),
        ]);
        var md = report.Markdown();
        Assert.Contains("| 4 | 8.00 | 24.00 | 2.50× | 62 % | 600 |", md);
        Assert.Contains("| read | 1.00 | 1.00 | 1.00× | 12 % |", md);
        Assert.Contains("| phase | 8.00 | 2.00 | 4.00× | 25 % |", md);
        Assert.True(md.IndexOf("| read |", StringComparison.Ordinal) < md.IndexOf("| phase |", StringComparison.Ordinal), "stages in pipeline order");
    }
}
