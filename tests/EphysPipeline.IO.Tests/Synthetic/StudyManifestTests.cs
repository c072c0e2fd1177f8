using EphysPipeline.IO.Synthetic;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests.Synthetic;

public class StudyManifestTests
{
    [Fact]
    public void CommittedSampleManifestIsWhatSynthWritesForTheDefaults()
    {
        var committed = File.ReadAllText(Path.Combine(Fixtures.PathOf(""), "..", "..", "sampledata", "study.yaml"));
        Assert.Equal(SyntheticStudy.Manifest(new SyntheticStudyOptions(), "study/", "../configs/default.yaml"), committed.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void DefaultEpochsAndSessions()
    {
        var options = new SyntheticStudyOptions();
        Assert.Equal(
            [new ManifestEpoch("baseline", -220, -20), new ManifestEpoch("acute", 40, 180), new ManifestEpoch("late", 180, 350)],
            SyntheticStudy.Epochs(options));
        var plan = SyntheticStudy.Plan(options);
        Assert.Equal(12, plan.Count);
        Assert.Equal(["m01-saline", "m01-ketamine", "m01-psilocybin", "m01-mdma"], plan.Take(4).Select(s => s.SessionId));
        Assert.Equal("m03_mdma.nwb", plan[^1].FileName);
        Assert.All(plan, s => Assert.Equal(16, s.ChannelCount));
    }

    [Fact]
    public void BetweenSubjectPlanGivesEachSubjectOneDrugInTurn()
    {
        var options = new SyntheticStudyOptions { Subjects = 2, Design = SyntheticDesign.Between };
        var plan = SyntheticStudy.Plan(options);
        Assert.Equal(8, plan.Count);
        Assert.Equal(["m01-saline", "m02-ketamine", "m03-psilocybin", "m04-mdma", "m05-saline", "m06-ketamine", "m07-psilocybin", "m08-mdma"],
            plan.Select(s => s.SessionId));
        Assert.Equal(plan.Count, plan.Select(s => s.SubjectId).Distinct().Count());
        Assert.Contains("    subject: m06\n    drug: ketamine\n", SyntheticStudy.Manifest(options, "", null));
        // 4 drugs × 24 subjects = 96 ids fit m01..m99; 25 per drug do not.
        Assert.Equal(96, SyntheticStudy.Plan(options with { Subjects = 24 }).Count);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticStudy.Plan(options with { Subjects = 25 }));
        Assert.StartsWith("subjects per drug must be 1..24", e.Message);
    }

    [Fact]
    public void GenerateWritesEveryFileAndTheManifestIndependentlyOfParallelism()
    {
        using var dir = Fixtures.TempDir();
        var options = new SyntheticStudyOptions { Subjects = 1, Channels = 2, Minutes = 3, InjectionSeconds = 60, Rate = 500 };
        var serial = Path.Combine(dir.Path, "serial");
        var parallel = Path.Combine(dir.Path, "parallel");
        SyntheticStudy.Generate(options with { MaxParallelism = 1 }, serial, "../configs/default.yaml");
        var files = SyntheticStudy.Generate(options with { MaxParallelism = 4 }, parallel, "../configs/default.yaml");
        Assert.Equal(4, files.Count);
        foreach (var f in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(serial, f.Spec.FileName)), File.ReadAllBytes(f.Path));
        var manifest = File.ReadAllText(Path.Combine(parallel, SyntheticStudy.ManifestName));
        Assert.Contains("    file: m01_psilocybin.nwb\n", manifest);
        Assert.Contains("  baseline: [-40, -20]\n", manifest);
    }
}
