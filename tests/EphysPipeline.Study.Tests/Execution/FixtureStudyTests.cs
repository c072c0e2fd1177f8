using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>The runner end to end on the pynwb-written reference sessions (int16 gzip, float32 LFP module, timestamps).</summary>
public class FixtureStudyTests
{
    internal static string WriteStudy(TempDirectory dir, string? analysis = null)
    {
        var yaml = $"""
            study: fixtures
            output: out
            {(analysis is null ? "" : "analysis: " + analysis)}
            epochs:
              baseline: [-50, -5]
              acute: [10, 55]
            sessions:
              - id: ket
                file: {Fixtures.PathOf("nwb/ketamine_m01.nwb")}
                subject: m01
                drug: ketamine
                dose_mg_kg: 10
                injection_s: 60
              - id: psi
                file: {Fixtures.PathOf("nwb/psilocybin_m02_lfp.nwb")}
                subject: m02
                drug: psilocybin
                dose_mg_kg: 1
                injection_s: 60
              - id: sal
                file: {Fixtures.PathOf("nwb/saline_m01_timestamps.nwb")}
                subject: m01
                drug: saline
                injection_tag: drug
            """;
        var path = dir.File("study.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A study's head with the fixtures' epochs (injection at 60 s), for manifests written in a test.</summary>
    private static string Head(string study) => $"""
        study: {study}
        output: out
        epochs:
          baseline: [-50, -5]
          acute: [10, 55]
        """;

    private static RunOutcome Run(StudyManifest manifest, int jobs, AnalysisConfig? config = null) =>
        new StudyRunner(manifest, config ?? new AnalysisConfig(), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = jobs });

    [Fact]
    public void RunsEverySessionAndWritesTidyTables()
    {
        using var dir = Fixtures.TempDir();
        var manifest = ManifestLoader.Load(WriteStudy(dir));
        var outcome = new StudyRunner(manifest, new AnalysisConfig(), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 2 });
        Assert.Empty(outcome.Failures);
        Assert.Equal(3, outcome.Succeeded);

        var metrics = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics));
        Assert.Equal(string.Join(',', Tables.MetricsHeader), metrics[0]);
        var rows = metrics.Skip(1).Select(CsvFormat.SplitLine).ToList();
        foreach (var metric in new[] { "band_power", "relative_power", "aperiodic_exponent", "perm_entropy", "sample_entropy", "lz_complexity", "spectral_entropy", "pac_mi" })
            Assert.Contains(rows, r => r[8] == metric && r[12] == "ok" && double.IsFinite(CsvFormat.ParseNumber(r[10])));
        Assert.Contains(rows, r => r[0] == "psi" && r[7] == "HPC");
        Assert.True(File.Exists(Path.Combine(manifest.OutputDirectory, SessionStore.SpectraFile)));
        Assert.True(File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Pairs)).Length > 1);
        Assert.True(File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Units)).Length > 1);
    }

    [Fact]
    public void RegionGroupsAndChannelsPerRegionShapeTheTables()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("study.yaml");
        File.WriteAllText(path, $"""
            {Head("regions")}
            region_groups:
              PFC: [PL, IL, "ACA*"]
              HPC: [CA1, CA3, DG]
            channels_per_region: {"{max: 2}"}
            sessions:
              - id: ket
                file: {Fixtures.PathOf("nwb/ketamine_m01.nwb")}
                subject: m01
                drug: saline
                injection_s: 60
                regions: {"{0: PL, 1: IL, 2: ACAd5, 3: ACAv2/3, 4: CA1, 5: CA3, 6: DG, 7: VISp5}"}
            """);
        var manifest = ManifestLoader.Load(path);
        var outcome = Run(manifest, jobs: 2);
        Assert.Empty(outcome.Failures);

        var metrics = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        var channels = metrics.Select(r => (Channel: r[6], Region: r[7])).Distinct().OrderBy(c => long.Parse(c.Channel, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // PFC (4 channels) and HPC (3) keep 2 each, spread over the group; VISp5 is in no group and keeps its name.
        Assert.Equal([("1", "PFC"), ("3", "PFC"), ("4", "HPC"), ("6", "HPC"), ("7", "VISp5")], channels);
        var pairs = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Pairs)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        Assert.Equal(10, pairs.Select(p => (p[7], p[8])).Distinct().Count());
        var sessions = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Sessions));
        Assert.Contains(",8,8,", sessions[1]);

        // The selection is part of the session's fingerprint: without it the session is analysed again.
        Assert.NotEqual(Fingerprint.OfSession(manifest.Sessions[0], manifest, "h"),
            Fingerprint.OfSession(manifest.Sessions[0], manifest with { Regions = RegionSelection.None }, "h"));
    }

    [Fact]
    public void UnitsFilterKeepsTheUnitsWhoseTableColumnsPass()
    {
        using var dir = Fixtures.TempDir();
        var copy = dir.File("ket.nwb");
        File.Copy(Fixtures.PathOf("nwb/ketamine_m01.nwb"), copy);
        using (var file = EphysPipeline.Native.Hdf5.Hdf5File.OpenReadWrite(copy))
        {
            file.WriteStrings("units/quality", ["good", "good", "noise", "good", "mua", "good", "good", "good"]).Dispose();
            file.WriteDataset<double>("units/isi_violations", [0.1, 0.9, 0.0, 0.2, 0.1, double.NaN, 0.3, 0.05]);
        }
        string Study(string units) => $"""
            {Head("units")}
            units: {units}
            sessions:
              - id: ket
                file: {copy}
                subject: m01
                drug: saline
                injection_s: 60
            """;
        var path = dir.File("study.yaml");
        File.WriteAllText(path, Study("{equal: {quality: good}, max: {isi_violations: 0.25}}"));
        var manifest = ManifestLoader.Load(path);
        var outcome = Run(manifest, jobs: 1);
        Assert.Empty(outcome.Failures);
        var units = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Units)).Skip(1).Select(l => CsvFormat.SplitLine(l)[5]).Distinct().ToList();
        // 1: isi 0.9; 2, 4: quality; 5: NaN fails the bound; 6: isi 0.3.
        Assert.Equal(["0", "3", "7"], units);

        File.WriteAllText(path, Study("{min: {presence_ratio: 0.9}}"));
        manifest = ManifestLoader.Load(path);
        outcome = Run(manifest, jobs: 1);
        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("/units/presence_ratio", failure.Reason);
        Assert.Contains("no column 'presence_ratio' (columns: electrodes, isi_violations, quality, spike_times)", failure.Reason);

        File.WriteAllText(path, Study("{min: {quality: 1}}"));
        outcome = Run(ManifestLoader.Load(path), jobs: 1);
        Assert.Contains("needs a numeric column", Assert.Single(outcome.Failures).Reason);
    }

    /// <summary>A second probe: the 4-channel timestamps session, its electrode ids moved to 100–103 (ids are unique across probes).</summary>
    private static void WriteProbeB(string path)
    {
        File.Copy(Fixtures.PathOf("nwb/saline_m01_timestamps.nwb"), path);
        using var file = EphysPipeline.Native.Hdf5.Hdf5File.OpenReadWrite(path);
        using var ids = file.OpenDataset("general/extracellular_ephys/electrodes/id");
        ids.WriteAll<long>([100, 101, 102, 103]);
    }

    [Fact]
    public void SessionOfTwoProbesInTwoFilesGetsProbeColumnsAndCrossProbePairs()
    {
        using var dir = Fixtures.TempDir();
        WriteProbeB(dir.File("probe_b.nwb"));
        // The session's file: OpenScope keeps the injection in an injection_times table.
        var sessionFile = dir.File("session.nwb");
        File.Copy(Fixtures.PathOf("nwb/ketamine_m01.nwb"), sessionFile);
        using (var file = EphysPipeline.Native.Hdf5.Hdf5File.OpenReadWrite(sessionFile))
        {
            file.CreateGroup("intervals/injection_times").Dispose();
            file.WriteDataset<double>("intervals/injection_times/start_time", [60.0]);
            file.WriteDataset<double>("intervals/injection_times/stop_time", [60.5]);
        }
        var path = dir.File("study.yaml");
        File.WriteAllText(path, $"""
            {Head("probes")}
            sessions:
              - id: two
                file: session.nwb
                subject: m01
                drug: saline
                injection_table: injection_times
                probes:
                  - {"{name: A}"}
                  - {"{name: B, file: probe_b.nwb}"}
              - id: one
                file: {Fixtures.PathOf("nwb/psilocybin_m02_lfp.nwb")}
                subject: m02
                drug: psilocybin
                injection_s: 60
            """);
        var manifest = ManifestLoader.Load(path);
        var outcome = Run(manifest, jobs: 2, new AnalysisConfig { Outputs = new() { Formats = ["csv", "parquet"], Nwb = true } });
        Assert.Empty(outcome.Failures);

        var metrics = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics));
        Assert.Equal(string.Join(',', Tables.MetricsHeaderFor(true)), metrics[0]);
        Assert.Contains("state,probe,channel,region", metrics[0]);
        var rows = metrics.Skip(1).Select(CsvFormat.SplitLine).ToList();
        var channels = rows.Where(r => r[0] == "two").Select(r => (Probe: r[6], Channel: r[7])).Distinct().ToList();
        Assert.Equal(12, channels.Count);
        Assert.All(channels, c => Assert.Equal(long.Parse(c.Channel, System.Globalization.CultureInfo.InvariantCulture) >= 100 ? "B" : "A", c.Probe));
        Assert.All(rows.Where(r => r[0] == "one"), r => Assert.Equal("", r[6]));

        var pairs = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Pairs));
        Assert.Contains("measure,probe_a,channel_a,probe_b,channel_b,region_a", pairs[0]);
        var pairRows = pairs.Skip(1).Select(CsvFormat.SplitLine).Where(r => r[0] == "two").ToList();
        Assert.Equal(66, pairRows.Select(r => (r[8], r[10])).Distinct().Count());
        Assert.Contains(pairRows, r => r[7] == "A" && r[9] == "B" && r[6] == "plv" && double.IsFinite(CsvFormat.ParseNumber(r[13])));

        var units = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Units));
        Assert.Contains("unit,probe,channel", units[0]);
        // The session's own sessions.csv row: 12 channels, the span both probes cover (120 s).
        var session = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Sessions)).Skip(1).First(l => l.StartsWith("two,", StringComparison.Ordinal));
        Assert.Contains(",ok,,,120,1000,12,12,", session);
        Assert.True(File.Exists(Path.Combine(manifest.OutputDirectory, "pairs.parquet")));
        Assert.True(File.Exists(Path.Combine(manifest.OutputDirectory, "sessions", "two", NwbExport.FileName)));
    }

    [Fact]
    public void ProbePatternsExpandToFilesAndSeries()
    {
        using var dir = Fixtures.TempDir();
        File.Copy(Fixtures.PathOf("nwb/ketamine_m01.nwb"), dir.File("probe_a.nwb"));
        WriteProbeB(dir.File("probe_b.nwb"));
        File.Copy(Fixtures.PathOf("nwb/ketamine_m01.nwb"), dir.File("session.nwb"));
        string SeriesName(string file)
        {
            using var nwb = EphysPipeline.IO.NwbFile.Open(file);
            return Assert.Single(nwb.Series).Name;
        }
        string a = SeriesName(dir.File("probe_a.nwb")), b = SeriesName(dir.File("probe_b.nwb"));
        string single = SeriesName(Fixtures.PathOf("nwb/psilocybin_m02_lfp.nwb"));
        string Study(string probes, string series = "\"*\"") => $"""
            {Head("patterns")}
            sessions:
              - id: two
                file: session.nwb
                subject: m01
                drug: saline
                injection_s: 60
                probes:
                  - {probes}
              - id: one
                file: {Fixtures.PathOf("nwb/psilocybin_m02_lfp.nwb")}
                subject: m02
                drug: psilocybin
                injection_s: 60
                series: {series}
            """;
        var path = dir.File("study.yaml");
        File.WriteAllText(path, Study("{file: \"probe_?.nwb\", series: \"*\"}"));
        var manifest = ManifestLoader.Load(path);
        Assert.Equal(["probe_a", "probe_b"], manifest.Sessions[0].Probes!.Select(p => p.Name));
        var outcome = Run(manifest, jobs: 2);
        Assert.Empty(outcome.Failures);
        var rows = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        // probe_a/<series>, probe_b/<series> for the file pattern with a series pattern; <series> for a series pattern alone.
        Assert.Equal([$"probe_a/{a}", $"probe_b/{b}"], rows.Where(r => r[0] == "two").Select(r => r[6]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal([single], rows.Where(r => r[0] == "one").Select(r => r[6]).Distinct());
        var pairs = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Pairs)).Skip(1).Select(CsvFormat.SplitLine).Where(r => r[0] == "two");
        Assert.Equal(66, pairs.Select(r => (r[8], r[10])).Distinct().Count());

        File.WriteAllText(path, Study("{name: P, file: \"probe_*.nwb\"}"));
        Assert.Contains("probes[0]: name: cannot be given with a pattern", Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path)).Message);
        File.WriteAllText(path, Study("{file: \"none_*.nwb\"}"));
        Assert.Contains("probes[0]: no file matches " + dir.File("none_*.nwb"), Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(path)).Message);
        File.WriteAllText(path, Study("{file: probe_a.nwb}", series: "\"*_csd\""));
        outcome = Run(ManifestLoader.Load(path), jobs: 1);
        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("no ElectricalSeries matches '*_csd' (the file has ", failure.Reason);
    }

    [Fact]
    public void MultitaperAndDecimatedEntropyWhenConfigured()
    {
        using var dir = Fixtures.TempDir();
        File.WriteAllText(dir.File("config.yaml"), """
            spectral:
              multitaper:
                enabled: true
                window_s: 5
            entropy:
              decimate: 2
            phase:
              enabled: false
            """);
        var manifest = ManifestLoader.Load(WriteStudy(dir, "config.yaml"));
        var outcome = new StudyRunner(manifest, ConfigLoader.Load(manifest.AnalysisPath), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 2 });
        Assert.Empty(outcome.Failures);
        var rows = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        double Value(string session, string metric, string band) =>
            rows.Where(r => r[0] == session && r[4] == "baseline" && r[8] == metric && r[9] == band).Select(r => CsvFormat.ParseNumber(r[10])).Average();
        // Welch and multitaper estimate the same power: broad bands agree closely on a stationary stretch.
        foreach (var band in new[] { "delta", "theta", "beta", "low_gamma" })
        {
            double welch = Value("ket", "band_power", band), mt = Value("ket", "band_power_mt", band);
            Assert.InRange(mt / welch, 0.8, 1.25);
        }
        Assert.Contains(rows, r => r[8] == "band_power_mt" && r[11] == "9" && r[12] == "ok");
        Assert.All(rows.Where(r => r[8] is "perm_entropy" or "lz_complexity"), r => Assert.Equal("ok", r[12]));
        Assert.DoesNotContain(rows, r => r[8] == "plv");
    }

    [Fact]
    public void PlainHdf5SessionThroughALayout()
    {
        // The Open Ephys .kwd fixture: 16 channels at 40 kHz, 1.66 s of mouse CA1; short windows to fit it.
        using var dir = Fixtures.TempDir();
        File.WriteAllText(dir.File("config.yaml"), """
            spectral:
              segment_s: 0.5
              spectrogram:
                window_s: 0.5
                step_s: 0.25
              aperiodic:
                enabled: false
            phase:
              enabled: false
            entropy:
              spectral:
                window_s: 0.5
                segment_s: 0.5
              permutation:
                window_s: 0.2
              sample:
                enabled: false
              lz:
                window_s: 0.2
            """);
        File.WriteAllText(dir.File("study.yaml"), $"""
            study: kwd
            analysis: config.yaml
            control: saline
            epochs:
              baseline: [-0.8, -0.05]
              acute: [0.05, 0.8]
            sessions:
              - id: oe
                file: {Fixtures.PathOf("real/oe_data_stream_16ch_hippocampus_8e12dab.kwd")}
                subject: m01
                drug: saline
                injection_s: 0.83
                layout: openephys-kwd
            """);
        var manifest = ManifestLoader.Load(dir.File("study.yaml"));
        Assert.Empty(StudyValidator.Check(manifest));
        var outcome = new StudyRunner(manifest, ConfigLoader.Load(manifest.AnalysisPath), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions());
        Assert.Empty(outcome.Failures);
        var rows = File.ReadAllLines(Path.Combine(manifest.OutputDirectory, Tables.Metrics)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        Assert.Equal(16, rows.Where(r => r[8] == "band_power" && r[9] == "theta" && r[4] == "acute" && r[12] == "ok").Count());
        Assert.Contains(rows, r => r[8] == "band_power" && r[9] == "hfo" && r[12] == "ok");
        Assert.Contains(rows, r => r[8] == "perm_entropy" && r[12] == "ok");
    }

    [Fact]
    public void MissingLayoutFileIsAManifestProblem()
    {
        using var dir = Fixtures.TempDir();
        File.WriteAllText(dir.File("study.yaml"), $"""
            study: kwd
            epochs:
              baseline: [-0.8, -0.05]
            sessions:
              - id: oe
                file: {Fixtures.PathOf("real/oe_data_stream_16ch_hippocampus_8e12dab.kwd")}
                subject: m01
                drug: saline
                injection_s: 0.83
                layout: rig.yaml
            """);
        var e = Assert.Throws<StudyValidationException>(() => ManifestLoader.Load(dir.File("study.yaml")));
        Assert.Contains(e.Problems, p => p.Contains("rig.yaml") && p.Contains("not found"));
    }
}
