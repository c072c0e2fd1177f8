using EphysPipeline.Report.Inputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Cli.Tests;

/// <summary>
/// `ephys synth --behaviour` then `ephys run`: the synthetic animal runs 25 % of the time, 60 % under ketamine, and
/// theta (×2) and gamma (×1.5) power rise while it runs; ketamine itself lowers theta power by 20 % in every state
/// (sampledata/README.md). The pooled theta change under ketamine is then the drug's effect plus the locomotion it
/// causes, the change within a state is the drug's effect alone, and the model's drug effect is the within-state change.
/// </summary>
[Collection("Console")]
public class BehaviouralStateEndToEndTests
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

    private static double Number(string text) => CsvTable.Number(text);

    [Fact]
    public void LocomotionConfoundsThePooledChangeAndStatesRemoveIt()
    {
        using var dir = Fixtures.TempDir();
        var study = Path.Combine(dir.Path, "study");
        var synth = Run("synth", "--out", study, "--behaviour", "--subjects", "3", "--channels", "4", "--minutes", "6", "--injection", "120");
        Assert.True(synth.Code == 0, synth.Error + synth.Output);
        var manifest = Path.Combine(study, "study.yaml");
        // A state from the model's own bouts (an interval table by tag): the same time as the speed threshold finds; and
        // the classic LFP split, HPC theta/delta power ratio per 2 s window > 5 (≈ 3 at rest, ≈ 7 running here).
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("sessions:\n",
            "  run_truth: {intervals: behaviour_truth, tag: run}\n"
            + "  run_onset: {intervals: behaviour_truth, tag: run, around: [0, 2], min_time_s: 4}\n"
            + "  theta_state: {lfp_ratio: {numerator: [6, 10], denominator: [1, 4], region: HPC}, above: 5}\nsessions:\n"));

        var run = Run("run", manifest, "--in-process", "--quiet", "--jobs", "2");
        Assert.True(run.Code == 0, run.Error);
        var output = Path.Combine(study, "output");

        var metrics = Rows(Path.Combine(output, "metrics.csv"));
        Assert.Equal(["all", "locomotion", "rest", "run_onset", "run_truth", "theta_state"], metrics.Select(r => r["state"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(metrics, r => r["state"] == "locomotion" && r["metric"] == "band_power" && r["status"] == "ok");
        Assert.All(Rows(Path.Combine(output, "pairs.csv")).Select(r => r["state"]).Distinct(), s => Assert.Contains(s, new[] { "all", "locomotion", "rest", "run_onset", "run_truth", "theta_state" }));

        var sessions = Rows(Path.Combine(output, "sessions.csv")).Where(r => r["epoch"].Length > 0).ToList();
        Assert.Equal(12 * 3, sessions.Count);
        foreach (var s in sessions)
        {
            double length = Number(s["epoch_end_s"]) - Number(s["epoch_start_s"]);
            double loco = Number(s["time_locomotion_s"]), resting = Number(s["time_rest_s"]), truth = Number(s["time_run_truth_s"]);
            Assert.InRange(loco + resting, 0.9 * length, length + 1e-9);
            // Entering at > 3 cm/s on the 50 Hz speed samples: within a sample (20 ms) per bout of the model's bouts.
            Assert.InRange(loco, truth - 1.0, truth + 1.0);
            Assert.InRange(Number(s["time_theta_state_s"]), 2, length);
            // Event-locked: the first 2 s of each running bout (bouts last ≥ 3 s), so inside the running time (clipped to the epoch).
            double onsets = Number(s["time_run_onset_s"]);
            Assert.InRange(onsets, 2, truth + 1e-6);
        }
        double Ratio(string state)
        {
            double Power(string band) => metrics.Where(r => (r["state"], r["region"], r["metric"], r["band"], r["status"]) == (state, "HPC", "band_power", band, "ok"))
                .Average(r => Number(r["value"]));
            return Power("theta") / Power("delta");
        }
        Assert.True(Ratio("theta_state") > 1.5 * Ratio("rest"), $"theta/delta {Ratio("theta_state")} in theta_state, {Ratio("rest")} at rest");

        var comparison = Rows(Path.Combine(output, "comparison.csv"));
        Dictionary<string, string> Row(string drug, string epoch, string state, string metric, string band, string region) =>
            comparison.Single(r => (r["drug"], r["epoch"], r["state"], r["metric"], r["band"], r["region"]) == (drug, epoch, state, metric, band, region));

        // Time in state is a drug effect of its own: ketamine runs 60 % of the time against 25 % (+35 points).
        var time = Row("ketamine", "acute", "locomotion", "time_in_state_pct", "", "session");
        Assert.InRange(Number(time["paired_mean_difference"]), 25, 45);

        var pooled = Row("ketamine", "acute", "all", "band_power", "theta", "HPC");
        var locomotion = Row("ketamine", "acute", "locomotion", "band_power", "theta", "HPC");
        var rest = Row("ketamine", "acute", "rest", "band_power", "theta", "HPC");
        foreach (var within in new[] { locomotion, rest })
        {
            // Within a state ketamine lowers theta (10·log10 0.8 = −0.97 dB on the oscillation, less with the background);
            // pooled, the extra running hides most of it.
            Assert.InRange(Number(within["paired_mean_difference"]), -2.5, -0.2);
            Assert.True(Number(pooled["paired_mean_difference"]) - Number(within["paired_mean_difference"]) > 0.4,
                $"pooled {pooled["paired_mean_difference"]} dB vs within {within["state"]} {within["paired_mean_difference"]} dB");
            // Balanced crossover: the mixed model's drug effect is the within-state paired difference, in both models.
            Assert.Equal(Number(within["paired_mean_difference"]), Number(within["lmm_estimate"]), 1e-9);
            Assert.Equal(Number(within["lmm_estimate"]), Number(within["state_lmm_estimate"]), 1e-9);
            Assert.Equal("change ~ drug * state + (1 | subject)", within["state_lmm_model"]);
        }
        Assert.Equal("locomotion", rest["interaction_vs_state"]);
        Assert.Equal(Number(rest["state_lmm_estimate"]) - Number(locomotion["state_lmm_estimate"]), Number(rest["interaction_estimate"]), 1e-9);
        Assert.True(double.IsNaN(Number(locomotion["interaction_estimate"])));
        Assert.Equal("", pooled["state_lmm_model"]);

        // Time in state itself, per drug: the model runs 25 % of the time, 60 % under ketamine after the ramp.
        var times = Report.Comparison.Compute(output).TimeInState;
        Assert.InRange(times.Single(t => (t.Drug, t.Epoch, t.State) == ("ketamine", "acute", "locomotion")).MeanPercent, 45, 75);
        Assert.InRange(times.Single(t => (t.Drug, t.Epoch, t.State) == ("saline", "acute", "locomotion")).MeanPercent, 12, 38);
        Assert.InRange(times.Single(t => (t.Drug, t.Epoch, t.State) == ("ketamine", "baseline", "locomotion")).MeanPercent, 12, 38);

        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("Time in each behavioural state", report);
        Assert.Contains("theta power change per state", report);
    }

    [Fact]
    public void AMissingStateSourceIsNamedByValidateAndCostsOnlyThatStatesValues()
    {
        using var dir = Fixtures.TempDir();
        var study = Path.Combine(dir.Path, "study");
        Assert.Equal(0, Run("synth", "--out", study, "--subjects", "1", "--channels", "4", "--minutes", "4", "--injection", "120").Code);
        var manifest = Path.Combine(study, "study.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("sessions:\n",
            "states:\n  locomotion: {series: running_speed, above: 3}\nsessions:\n"));

        var validate = Run("validate", manifest);
        Assert.Equal(1, validate.Code);
        Assert.Contains("m01-saline: state locomotion:", validate.Output + validate.Error);
        Assert.Contains("running_speed", validate.Output + validate.Error);

        var run = Run("run", manifest, "--in-process", "--quiet", "--jobs", "2");
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("m01-saline: warning: state locomotion:", run.Error);
        var metrics = Rows(Path.Combine(study, "output", "metrics.csv"));
        Assert.Contains(metrics, r => r["state"] == "all" && r["status"] == "ok");
        var locomotion = metrics.Where(r => r["state"] == "locomotion").ToList();
        Assert.NotEmpty(locomotion);
        Assert.All(locomotion, r => Assert.True(double.IsNaN(Number(r["value"])) && r["status"].Contains("running_speed"), r["status"]));
    }
}
