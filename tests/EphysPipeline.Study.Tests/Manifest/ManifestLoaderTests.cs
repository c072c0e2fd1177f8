using EphysPipeline.Core;
using EphysPipeline.Study.Manifest;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Manifest;

public class ManifestLoaderTests
{
    private const string Epochs = """
        epochs:
          baseline: [-200, -20]
          acute: [40, 180]
        """;

    private static string Write(TempDirectory dir, string yaml, params string[] files)
    {
        foreach (var f in files) File.WriteAllText(dir.File(f), "x");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void ReadsSessionsEpochsAndResolvesPathsRelativeToTheManifest()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, $"""
            schema: 1
            study: demo
            output: out
            control: saline
            reference_epoch: baseline
            {Epochs}
            sessions:
              - id: s1
                file: a.nwb
                subject: m01
                drug: Saline
                dose_mg_kg: 0
                injection_s: 240
                bad_channels: [3]
              - id: s2
                file: b.nwb
                subject: m01
                drug: ketamine
                dose_mg_kg: 10
                injection_tag: drug
            """, "a.nwb", "b.nwb");
        var m = ManifestLoader.Load(path);
        Assert.Equal("demo", m.Name);
        Assert.Equal(dir.File("out"), m.OutputDirectory);
        Assert.Equal(["baseline", "acute"], m.Epochs.Select(e => e.Name));
        Assert.Equal(-200, m.Epochs[0].Start);
        Assert.Equal(dir.File("a.nwb"), m.Sessions[0].File);
        Assert.Equal("saline", m.Sessions[0].Drug);
        Assert.Equal([3L], m.Sessions[0].BadChannels);
        Assert.Equal("drug", m.Sessions[1].InjectionTag);
        Assert.Null(m.Sessions[1].InjectionSeconds);
    }

    [Fact]
    public void ListsEveryProblemAtOnce()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, """
            study: demo
            reference_epoch: pre
            epochs:
              baseline: [-200, -20]
              acute: [-100, 180]
              late: [300, 200]
            sessions:
              - id: s1
                file: missing.nwb
                subject: m01
                drug: ketamine
              - id: s1
                file: a.nwb
                subject: m02
                drug: ketamine
                injection_s: 10
            """, "a.nwb");
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains(e.Problems, p => p.Contains("late") && p.Contains("must be after start"));
        Assert.Contains(e.Problems, p => p.Contains("overlap"));
        Assert.Contains(e.Problems, p => p.Contains("reference_epoch") && p.Contains("pre"));
        Assert.Contains(e.Problems, p => p.Contains("missing.nwb") && p.Contains("not found"));
        Assert.Contains(e.Problems, p => p.Contains("injection_s"));
        Assert.Contains(e.Problems, p => p.Contains("control") && p.Contains("saline"));
    }

    [Fact]
    public void ReadsStatesOfEveryKind()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, $$"""
            study: demo
            control: saline
            reference_epoch: baseline
            {{Epochs}}
            states:
              locomotion: {series: running_speed, above: 3, hysteresis: 1, min_bout_s: 1}
              open_field: {intervals: trials, column: condition, value: open_field, min_time_s: 30}
              after_stimulus: {intervals: stimuli, around: [-0.5, 1.5]}
              theta_state: {lfp_ratio: {numerator: [6, 10], denominator: [1, 4], region: HPC}, above: 2, smooth_s: 4}
            sessions:
              - {id: s1, file: a.nwb, subject: m01, drug: saline, injection_s: 240}
            """, "a.nwb");
        var m = ManifestLoader.Load(path);
        Assert.Equal(["locomotion", "open_field", "after_stimulus", "theta_state"], m.States.Select(s => s.Name));
        var (loco, field, theta) = (m.States[0], m.States[1], m.States[3]);
        Assert.Equal([-0.5, 1.5], m.States[2].AroundS!);
        Assert.Equal("[-0.5, 1.5) s around the starts of rows of /intervals/stimuli", m.States[2].Describe());
        Assert.Equal((StateSourceKind.Series, "running_speed", 3.0, 1.0, 1.0, 10.0),
            (loco.Kind, loco.Series, loco.Above!.Value, loco.Hysteresis, loco.MinBoutS, loco.MinTimeS));
        Assert.Equal((StateSourceKind.Intervals, "trials", "condition", "open_field", 30.0),
            (field.Kind, field.Table, field.Column, field.Value, field.MinTimeS));
        Assert.Equal((StateSourceKind.LfpRatio, 6.0, 10.0, 1.0, 4.0, "HPC", 2.0, 4.0),
            (theta.Kind, theta.NumeratorHz![0], theta.NumeratorHz[1], theta.DenominatorHz![0], theta.DenominatorHz[1], theta.Region, theta.WindowS, theta.SmoothS));
        Assert.Equal("running_speed > 3 (hysteresis 1) for ≥ 1 s", loco.Describe());
    }

    [Fact]
    public void BadStatesAreListedByName()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, $$"""
            study: demo
            control: saline
            reference_epoch: baseline
            {{Epochs}}
            states:
              all: {series: speed, above: 1}
              both: {series: speed, intervals: trials, above: 1}
              nothreshold: {series: speed}
              tagged: {intervals: trials, tag: run, above: 2}
              ratio: {lfp_ratio: {numerator: [10, 6], denominator: [1, 4]}, below: 1, min_bout_s: -1}
              window: {intervals: stimuli, around: [1, 0]}
              "bad name": {series: speed, below: 1}
            sessions:
              - {id: s1, file: a.nwb, subject: m01, drug: saline, injection_s: 240}
            """, "a.nwb");
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains(e.Problems, p => p.StartsWith("states.all:") && p.Contains("unstratified"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.both:") && p.Contains("exactly one of intervals"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.nothreshold:") && p.Contains("above: or below:"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.tagged:") && p.Contains("apply to series"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.ratio.lfp_ratio.numerator") && p.Contains("low < high"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.ratio:") && p.Contains("min_bout_s"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.bad name:") && p.Contains("letters, digits"));
        Assert.Contains(e.Problems, p => p.StartsWith("states.window:") && p.Contains("from < to"));
    }

    [Fact]
    public void UnknownKeyNamesTheKeyAndLine()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, $"""
            study: demo
            {Epochs}
            sesions: []
            """);
        var e = Assert.Throws<EphysInputException>(() => ManifestLoader.Load(path));
        Assert.Contains("unknown key 'sesions'", e.Message);
        Assert.Contains("line", e.Message);
    }

    [Fact]
    public void SessionsMayComeFromACsvSheet()
    {
        using var dir = Fixtures.TempDir();
        File.WriteAllText(dir.File("sheet.csv"), "id,file,subject,drug,dose_mg_kg,injection_s,bad_channels\n" +
            "k1,a.nwb,m01,ketamine,10,240,1;2\n" +
            "c1,b.nwb,m01,saline,0,240,\n");
        var path = Write(dir, $"""
            study: demo
            {Epochs}
            sessions_csv: sheet.csv
            """, "a.nwb", "b.nwb");
        var m = ManifestLoader.Load(path);
        Assert.Equal(["k1", "c1"], m.Sessions.Select(s => s.Id));
        Assert.Equal([1L, 2L], m.Sessions[0].BadChannels);
        Assert.Equal(10, m.Sessions[0].DoseMgKg);
    }

    [Fact]
    public void CsvSheetWithUnknownColumnOrBadNumberIsRejected()
    {
        using var dir = Fixtures.TempDir();
        File.WriteAllText(dir.File("sheet.csv"), "id,file,subject,drug,dose,injection_s\nk1,a.nwb,m01,ketamine,10,240\n");
        var path = Write(dir, $"study: demo\n{Epochs}\nsessions_csv: sheet.csv\n", "a.nwb");
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains(e.Problems, p => p.Contains("unknown column") && p.Contains("dose"));

        File.WriteAllText(dir.File("sheet.csv"), "id,file,subject,drug,injection_s\nk1,a.nwb,m01,saline,soon\n");
        e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains(e.Problems, p => p.Contains("'soon' is not a number"));
    }

    [Fact]
    public void RegionGroupsAndChannelsPerRegion()
    {
        using var dir = Fixtures.TempDir();
        const string session = """
            sessions:
              - {id: s1, file: a.nwb, subject: m01, drug: saline, injection_s: 240}
            """;
        var path = Write(dir, $$"""
            study: demo
            {{Epochs}}
            {{session}}
            region_groups:
              HPC: [CA1, CA3, DG]
              VIS: ["VISp*", VISl?]
            channels_per_region: {step: 2, max: 8}
            """, "a.nwb");
        var regions = ManifestLoader.Load(path).Regions;
        Assert.Equal(["HPC", "VIS"], regions.Groups.Select(g => g.Name));
        Assert.Equal((2, 8), (regions.Step, regions.MaxPerRegion!.Value));
        Assert.Equal("HPC", regions.GroupOf("CA3", out _));
        Assert.Equal("VIS", regions.GroupOf("VISp2/3", out _));
        Assert.Equal("VIS", regions.GroupOf("VISl5", out _));
        Assert.Equal("VISl23", regions.GroupOf("VISl23", out _));
        Assert.Equal("ca1", regions.GroupOf("ca1", out _));
        Assert.True(ManifestLoader.Load(Write(dir, $"study: demo\n{Epochs}\n{session}", "a.nwb")).Regions.IsNone);

        var overlapping = new RegionSelection([new RegionGroup("A", ["CA*"]), new RegionGroup("B", ["CA1"])], 1, null);
        Assert.Null(overlapping.GroupOf("CA1", out var conflict));
        Assert.Equal(("A", "B"), conflict);

        path = Write(dir, $$"""
            study: demo
            {{Epochs}}
            {{session}}
            region_groups:
              HPC: []
            channels_per_region: {step: 0, max: -1}
            """, "a.nwb");
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains(e.Problems, p => p.StartsWith("region_groups.HPC", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("channels_per_region.step"));
        Assert.Contains(e.Problems, p => p.Contains("channels_per_region.max"));
    }

    [Fact]
    public void UnitFilterValuesAreChecked()
    {
        using var dir = Fixtures.TempDir();
        var path = Write(dir, $$"""
            study: demo
            {{Epochs}}
            sessions:
              - {id: s1, file: a.nwb, subject: m01, drug: saline, injection_s: 240}
            units:
              equal: {quality: good}
              min: {presence_ratio: 0.9}
              max: {isi_violations: 0.5, amplitude_cutoff: 0.1}
            """, "a.nwb");
        var units = ManifestLoader.Load(path).Units;
        Assert.Equal([new KeyValuePair<string, string>("quality", "good")], units.Equal);
        Assert.Equal(["quality", "presence_ratio", "isi_violations", "amplitude_cutoff"], units.Columns);
        Assert.Equal(0.1, units.Max[1].Value);

        File.WriteAllText(path, File.ReadAllText(path).Replace("0.9}", "high}", StringComparison.Ordinal));
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path));
        Assert.Contains("units.min.presence_ratio: 'high' is not a number", e.Problems);
    }

    [Fact]
    public void MissingManifestIsAnInputError()
    {
        var e = Assert.Throws<EphysInputException>(() => ManifestLoader.Load("/nonexistent/study.yaml"));
        Assert.Contains("not found", e.Message);
    }
}
