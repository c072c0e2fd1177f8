using EphysPipeline.Study.Outputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Outputs;

public class TablesTests
{
    private static readonly SessionKey Key = new("m01-ket", "m01", "ketamine", 10);

    [Fact]
    public void MetricRowsRoundTripThroughTheCsvDialect()
    {
        var rows = new[]
        {
            new MetricRow("acute", 3, "PFC", "band_power", "theta", 1.2345678901234567e-10, 12, "ok"),
            new MetricRow("acute", 3, "PFC, layer 5", "sample_entropy", "", double.PositiveInfinity, 0, "no (m+1)-matches"),
            new MetricRow("late", 4, "HPC", "aperiodic_exponent", "", double.NaN, 0, "all windows rejected"),
        };
        var text = Tables.Format(Key, rows);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', Tables.MetricsHeader), lines[0]);
        var first = CsvFormat.SplitLine(lines[1]);
        Assert.Equal(1.2345678901234567e-10, CsvFormat.ParseNumber(first[10]));
        var second = CsvFormat.SplitLine(lines[2]);
        Assert.Equal("PFC, layer 5", second[7]);
        Assert.Equal(double.PositiveInfinity, CsvFormat.ParseNumber(second[10]));
        Assert.True(double.IsNaN(CsvFormat.ParseNumber(CsvFormat.SplitLine(lines[3])[10])));
    }

    [Fact]
    public void AtomicWriteLeavesNoTemporaryAndReplacesWhole()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("a.csv");
        AtomicFile.WriteText(path, "old\n");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.WriteByte(65); throw new InvalidOperationException("killed"); }));
        Assert.Equal("old\n", File.ReadAllText(path));
        AtomicFile.WriteText(path, "new\n");
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void StaleTemporariesOfDeadProcessesAreRemovedOthersKept()
    {
        using var dir = Fixtures.TempDir();
        var host = Environment.MachineName.Replace('-', '_');
        var dead = dir.File($"metrics.csv.tmp-{host}-999999999-0123");
        var mine = dir.File($"pairs.csv.tmp-{host}-{Environment.ProcessId}-0123");
        var otherHost = dir.File("units.csv.tmp-node17-12-0123");
        foreach (var f in new[] { dead, mine, otherHost }) File.WriteAllText(f, "partial");
        AtomicFile.CleanStaleTemporaries(dir.Path);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(otherHost));
    }
}
