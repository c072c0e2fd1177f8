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
