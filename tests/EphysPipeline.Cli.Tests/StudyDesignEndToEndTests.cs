using EphysPipeline.Report.Inputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Cli.Tests;

/// <summary>
/// `ephys synth --design between` then `ephys run` in-process: the runner's tables, then the comparison, which must
/// find a between-subject design and use the independent-group tests.
/// </summary>
[Collection("Console")]
public class StudyDesignEndToEndTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var previousOut = Console.Out;
        var previousError = Console.Error;
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = EphysCli.Run(args, error);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private static List<Dictionary<string, string>> Rows(string path)
    {
        var t = CsvTable.Read(path);
        return t.Rows.Select(r => t.Header.Select((h, i) => (h, r[i])).ToDictionary(p => p.h, p => p.Item2)).ToList();
    }

    [Fact]
    public void OpenScopeShapedStudyOfSixProbesRunsEndToEnd()
    {
        using var dir = Fixtures.TempDir();
        var study = Path.Combine(dir.Path, "os");
        Assert.Equal(0, Run("synth", "--profile", "openscope", "--out", study, "--scale", "0.02", "--minutes", "4").Code);
        // Probes are written on several threads: the same bytes as on one.
        var serial = Path.Combine(dir.Path, "serial");
        EphysPipeline.IO.Synthetic.OpenScopeStudy.Generate(new() { Minutes = 4, Scale = 0.02, MaxParallelism = 1 }, serial);
        foreach (var file in Directory.EnumerateFiles(study, "*.nwb", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(serial, Path.GetRelativePath(study, file))));
        Assert.Equal(14, Directory.EnumerateFiles(study, "*.nwb", SearchOption.AllDirectories).Count());

        var (code, _, error) = Run("run", Path.Combine(study, "study.yaml"), "--jobs", "2");
        Assert.True(code == 0, error);
        var metrics = Rows(Path.Combine(study, "output", "metrics.csv"));
        var channels = metrics.Where(r => r["session"] == "m01-saline").Select(r => (r["probe"], r["channel"], r["region"])).Distinct().ToList();
        Assert.Equal(["probeA", "probeB", "probeC", "probeD", "probeE", "probeF"], channels.Select(c => c.Item1).Distinct().Order());
        Assert.Equal(["HPC", "VISal", "VISam", "VISl", "VISp", "VISpm", "VISrl"], channels.Select(c => c.Item3).Distinct().Order(StringComparer.Ordinal));
        var pairs = Rows(Path.Combine(study, "output", "pairs.csv"));
        Assert.Contains(pairs, r => r["probe_a"] != r["probe_b"] && r["measure"] == "wpli");
        // The units filter keeps the good units with few refractory violations: fewer than the table holds.
        var units = Rows(Path.Combine(study, "output", "units.csv")).Where(r => r["session"] == "m01-saline").Select(r => r["unit"]).Distinct().Count();
        int inTable = EphysPipeline.IO.Synthetic.OpenScopeStudy.Probes(0.02).Sum(p => p.Channels) * EphysPipeline.IO.Synthetic.OpenScopeStudy.UnitsPerChannel;
        Assert.InRange(units, inTable / 2, inTable - 1);
    }

    [Fact]
    public void BetweenSubjectSyntheticStudyRunsEndToEndWithTheIndependentGroupTests()
    {
        using var dir = Fixtures.TempDir();
        var study = Path.Combine(dir.Path, "study");
        var synth = Run("synth", "--out", study, "--design", "between", "--subjects", "2", "--channels", "4", "--minutes", "4",
            "--injection", "120");
        Assert.True(synth.Code == 0, synth.Error + synth.Output);
        Assert.Contains("between-subject", synth.Output);
        var manifest = File.ReadAllText(Path.Combine(study, "study.yaml"));
        Assert.Contains("  - id: m01-saline\n", manifest);
        Assert.Contains("  - id: m08-mdma\n", manifest);
        Assert.DoesNotContain("m01-ketamine", manifest);

        var run = Run("run", Path.Combine(study, "study.yaml"), "--in-process", "--quiet", "--jobs", "2");
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("comparison: between-subject design;", run.Error);

        var output = Path.Combine(study, "output");
        var rows = Rows(Path.Combine(output, "comparison.csv"));
        Assert.All(rows, r => Assert.Equal("between-subject", r["design"]));
        var ketamine = rows.Where(r => r["drug"] == "ketamine").ToList();
        Assert.NotEmpty(ketamine);
        Assert.All(ketamine, r => Assert.Equal("between-subject design", r["paired_t_method"]));
        Assert.Contains(ketamine, r => r["welch_p"] != "NaN" && r["mannwhitney_method"].Length > 0);
        var clusters = Rows(Path.Combine(output, "clusters.csv"));
        Assert.NotEmpty(clusters);
        Assert.All(clusters, r => Assert.Equal(("between-subject", "two-group F"), (r["design"], r["test"])));
        Assert.Contains("<b>Design: between-subject</b> (8 subjects)", File.ReadAllText(Path.Combine(output, "report.html")));

        Assert.Equal(1, Run("synth", "--out", Path.Combine(dir.Path, "bad"), "--design", "crossed").Code);
    }
}
