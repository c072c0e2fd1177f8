using System.Text.Json;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;
using EphysPipeline.TestSupport;
using Xunit.Abstractions;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>
/// The runner's phase metrics on real-like LFP (bursty gamma, strong slow activity, weak coupling, 1250 Hz, 26 s
/// epochs) against MNE filter + scipy.signal.hilbert over the whole epoch (fixtures/phase_real, script beside it).
/// </summary>
public class PhaseConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf("phase_real/bursty_lfp_expected.json"))).RootElement;

    private static List<string>[] Rows(string outputDirectory, string table) =>
        File.ReadAllLines(Path.Combine(outputDirectory, table)).Skip(1).Select(CsvFormat.SplitLine).ToArray();

    private static string Run(TempDirectory dir, double analyticMemoryMb)
    {
        File.WriteAllText(dir.File("config.yaml"), $"""
            preprocessing:
              bad_channels:
                detect: false
              artifacts:
                enabled: false
            spectral:
              enabled: false
            entropy:
              enabled: false
            phase:
              coherence: false
              analytic_memory_mb: {analyticMemoryMb}
            """);
        File.WriteAllText(dir.File("study.yaml"), $"""
            study: phase-conformance
            output: out
            analysis: config.yaml
            epochs:
              baseline: [-26, 0]
              acute: [2, 28]
            sessions:
              - id: lfp
                file: {Fixtures.PathOf("phase_real/bursty_lfp_1250.nwb")}
                subject: r01
                drug: saline
                injection_s: 30
            """);
        var manifest = ManifestLoader.Load(dir.File("study.yaml"));
        var outcome = new StudyRunner(manifest, ConfigLoader.Load(manifest.AnalysisPath), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 1 });
        Assert.Empty(outcome.Failures);
        return manifest.OutputDirectory;
    }

    /// <summary>Largest |ours − reference| per measure over every epoch, pair, unit and channel.</summary>
    private static Dictionary<string, double> Differences(string outputDirectory, string reference)
    {
        var worst = new Dictionary<string, double>();
        void Note(string measure, double ours, double expected)
        {
            Assert.True(double.IsFinite(ours), $"{measure}: {ours}");
            worst[measure] = Math.Max(worst.GetValueOrDefault(measure), Math.Abs(ours - expected));
        }

        var epochs = Expected.GetProperty(reference);
        int pairs = 0, units = 0, pac = 0;
        foreach (var r in Rows(outputDirectory, Tables.Pairs))
        {
            var values = epochs.GetProperty(r[3]).GetProperty("pairs").GetProperty($"{r[5]}:{r[7]}:{r[8]}");
            double ours = CsvFormat.ParseNumber(r[11]), expected = values.GetProperty(r[6]).GetDouble();
            // A mean phase is as precise as its vector's length: compare PLV·Δφ (the phasor's error across it).
            if (r[6] == "phase_diff_rad") Note("plv · phase_diff_rad", values.GetProperty("plv").GetDouble() * Angle(ours - expected), 0);
            else Note($"{r[5]} {r[6]}", ours, expected);
            pairs++;
        }
        foreach (var r in Rows(outputDirectory, Tables.Units))
        {
            var values = epochs.GetProperty(r[3]).GetProperty("units").GetProperty(r[5]);
            Assert.Equal(values.GetProperty("spikes").GetInt32(), int.Parse(r[9]));
            Note("firing_rate_hz", CsvFormat.ParseNumber(r[10]), values.GetProperty("firing_rate_hz").GetDouble());
            Note("unit plv", CsvFormat.ParseNumber(r[11]), values.GetProperty("plv").GetDouble());
            Note("unit ppc", CsvFormat.ParseNumber(r[12]), values.GetProperty("ppc0").GetDouble());
            Note("unit plv · preferred_phase", values.GetProperty("plv").GetDouble()
                * Angle(CsvFormat.ParseNumber(r[15]) - values.GetProperty("preferred_phase_rad").GetDouble()), 0);
            units++;
        }
        foreach (var r in Rows(outputDirectory, Tables.Metrics).Where(r => r[8] == "pac_mi"))
        {
            Note("pac_mi", CsvFormat.ParseNumber(r[10]), epochs.GetProperty(r[4]).GetProperty("pac").GetProperty($"{r[9]}:{r[6]}").GetDouble());
            pac++;
        }
        // 2 epochs × 2 bands × 28 pairs × 3 measures; 2 × 8 units; 2 × 8 channels × 2 amplitude bands.
        Assert.Equal(336, pairs);
        Assert.Equal(16, units);
        Assert.Equal(32, pac);
        return worst;
    }

    private static double Angle(double difference) => Math.Abs(Math.IEEERemainder(difference, 2 * Math.PI));

    private void Report(string title, Dictionary<string, double> worst)
    {
        output.WriteLine(title);
        foreach (var (measure, value) in worst.OrderBy(p => p.Key)) output.WriteLine($"  {measure}: {value:E2}");
    }

    [Fact]
    public void EveryPhaseMetricEqualsTheWholeEpochReferenceWithin1em6()
    {
        using var dir = Fixtures.TempDir();
        var worst = Differences(Run(dir, 128), "epochs_reference");
        Report("whole-run transform vs MNE + scipy (filter over the recording, Hilbert over the epoch)", worst);
        foreach (var (measure, value) in worst) Assert.True(value <= 1e-6, $"{measure}: {value:E2}");
    }

    [Fact]
    public void WindowedRunsStayClose()
    {
        // 1 MiB for 24 band channels: 16384-sample windows, so each 32 500-sample epoch is transformed in windows.
        using var dir = Fixtures.TempDir();
        var worst = Differences(Run(dir, 1), "epochs_reference");
        Report("16384-sample windows, eighth-window margins", worst);
        foreach (var (measure, value) in worst) Assert.True(value <= 1e-3, $"{measure}: {value:E2}");
    }
}
