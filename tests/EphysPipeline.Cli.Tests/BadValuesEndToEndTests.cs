using EphysPipeline.Native.Hdf5;
using EphysPipeline.Report.Inputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Cli.Tests;

/// <summary>Bad values inside good files through a one-session `ephys run` (docs/faults.md "Bad values inside good files").</summary>
[Collection("Console")]
public class BadValuesEndToEndTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(new StringWriter());
        Console.SetError(error);
        try
        {
            return (EphysCli.Run(args, error), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private static string Study(TempDirectory dir, string fixture, Action<Hdf5File> edit)
    {
        var file = Path.Combine(dir.Path, "session.nwb");
        File.Copy(Fixtures.PathOf(fixture), file);
        using (var h5 = Hdf5File.OpenReadWrite(file)) edit(h5);
        var manifest = Path.Combine(dir.Path, "study.yaml");
        File.WriteAllText(manifest, """
            study: bad-values
            control: saline
            epochs:
              baseline: [-50, -5]
              acute: [10, 110]
            sessions:
              - {id: s1, file: session.nwb, subject: m01, drug: saline, injection_s: 60}
            """);
        return manifest;
    }

    private static List<Dictionary<string, string>> Rows(string path)
    {
        var t = CsvTable.Read(path);
        return t.Rows.Select(r => t.Header.Select((h, i) => (h, r[i])).ToDictionary(p => p.h, p => p.Item2)).ToList();
    }

    [Fact]
    public void NaNSamplesTheSampledCheckMissesAreArtifactsAndSpreadNowhere()
    {
        using var dir = Fixtures.TempDir();
        // Three NaN samples on channel 4 at 30 s (the baseline epoch), where the sampled bad-channel check does not look.
        var manifest = Study(dir, "nwb/psilocybin_m02_lfp.nwb", h5 =>
        {
            using var data = h5.OpenDataset("processing/ecephys/LFP/LFP/data");
            data.Write<float>([30000, 4], [3, 1], [float.NaN, float.NaN, float.PositiveInfinity]);
        });
        var (code, error) = Run("run", manifest, "--in-process", "--quiet");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("channel 4 excluded", error);
        var output = Path.Combine(dir.Path, "output");
        var channel4 = Rows(Path.Combine(output, "metrics.csv")).Where(r => r["channel"] == "4" && r["epoch"] == "baseline").ToList();
        Assert.NotEmpty(channel4);
        Assert.All(channel4, r => Assert.True(r["status"] == "ok" && double.IsFinite(CsvTable.Number(r["value"])), $"{r["metric"]} {r["band"]}: {r["status"]}"));
        var pairs = Rows(Path.Combine(output, "pairs.csv")).Where(r => r["epoch"] == "baseline" && (r["channel_a"] == "4" || r["channel_b"] == "4")).ToList();
        Assert.All(pairs, r => Assert.True(double.IsFinite(CsvTable.Number(r["value"])), $"{r["measure"]} {r["channel_a"]}-{r["channel_b"]}"));
        var baseline = Rows(Path.Combine(output, "sessions.csv")).Single(r => r["epoch"] == "baseline");
        Assert.True(CsvTable.Number(baseline["rejected_fraction"]) > 0);
    }

    [Fact]
    public void SpikesOutsideTheRecordingAreCountedInAWarning()
    {
        using var dir = Fixtures.TempDir();
        var manifest = Study(dir, "nwb/ketamine_m01.nwb", h5 =>
        {
            using var spikes = h5.OpenDataset("units/spike_times");
            var times = spikes.ReadAll<double>();
            for (int i = times.Length - 5; i < times.Length; i++) times[i] = 1e6;
            spikes.WriteAll<double>(times);
        });
        var (code, error) = Run("run", manifest, "--in-process");
        Assert.True(code == 0, error);
        Assert.Contains("s1: warning: 5 spike(s) of 1 unit(s) (ids 7) lie outside the recording [0, 180) s and are ignored", error);
    }
}
