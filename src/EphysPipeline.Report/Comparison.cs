using System.Globalization;
using EphysPipeline.Report.Changes;
using EphysPipeline.Report.Inputs;
using EphysPipeline.Report.Statistics;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Report;

/// <summary>What <see cref="Comparison.Run"/> wrote and what it had to leave out.</summary>
public sealed record ComparisonSummary(
    string ComparisonCsv, string ClustersCsv, string ReportHtml,
    int Outcomes, int Significant, int Clusters, StudyDesign Design, IReadOnlyList<string> Warnings);

/// <summary>Everything the comparison computed, for the report and for callers that want the numbers.</summary>
public sealed record ComparisonResult(
    StudyInfo Info, StudyDesign Design, IReadOnlyList<string> Drugs, IReadOnlyList<string> Epochs,
    IReadOnlyList<GroupStatistic> Groups, IReadOnlyList<ClusterRow> Clusters, SpectralChanges Spectral,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Time in each state per drug and epoch (reference included): mean over subjects of the % of the epoch.</summary>
    public IReadOnlyList<StateTime> TimeInState { get; init; } = [];
}

/// <summary>The mean share of an epoch a drug group spent in a state, over <see cref="Subjects"/> subjects.</summary>
public sealed record StateTime(string Drug, string Epoch, string State, double MeanPercent, int Subjects);

/// <summary>
/// The cross-condition comparison of a study output folder (docs/report.md): reads metrics.csv, pairs.csv, units.csv,
/// sessions.csv, spectra.h5 and provenance.json; writes comparison.csv, clusters.csv and report.html atomically.
/// </summary>
public static class Comparison
{
    public const string ComparisonFile = "comparison.csv";
    public const string ClustersFile = "clusters.csv";
    public const string ReportFile = "report.html";
    public const double SignificanceQ = 0.05;

    public static ComparisonSummary Run(string outputDirectory)
    {
        var result = Compute(outputDirectory);
        var comparison = Path.Combine(outputDirectory, ComparisonFile);
        var clusters = Path.Combine(outputDirectory, ClustersFile);
        var report = Path.Combine(outputDirectory, ReportFile);
        AtomicFile.WriteText(comparison, ComparisonCsv(result.Groups));
        AtomicFile.WriteText(clusters, ClustersCsv(result.Clusters));
        AtomicFile.WriteText(report, Html.ReportBuilder.Build(result));
        return new ComparisonSummary(comparison, clusters, report, result.Groups.Count,
            result.Groups.Count(IsSignificant), DesignClusters(result.Clusters).Count(c => c.P < 0.05), result.Design, result.Warnings);
    }

    /// <summary>A finding for the report table: within-drug Wilcoxon q or the design's drug-vs-control q below 0.05.</summary>
    public static bool IsSignificant(GroupStatistic g) => g.WilcoxonQ < SignificanceQ || ContrastQ(g) < SignificanceQ;

    /// <summary>
    /// The design's drug-vs-control test: the mixed model's contrast where the model converged, else the paired t
    /// (subjects with both values) or Welch's t (independent groups).
    /// </summary>
    public static (string Test, double Estimate, double Q) Contrast(GroupStatistic g) =>
        g.Mixed.Usable ? ("mixed model", g.Mixed.Contrast.Estimate, g.MixedQ)
        : g.Design.HasPairs() && double.IsFinite(g.Paired.T.P) ? ("paired t", g.Paired.MeanDifference, g.PairedTQ)
        : ("Welch t", g.Mean - g.ControlMean, g.WelchQ);

    public static double ContrastQ(GroupStatistic g) => Contrast(g).Q;

    public static ComparisonResult Compute(string outputDirectory)
    {
        if (!Directory.Exists(outputDirectory))
            throw new Core.EphysInputException(outputDirectory, "", "the output folder does not exist");
        var warnings = new List<string>();
        var info = StudyInfo.Load(outputDirectory, warnings);
        var changes = new SubjectChanges();
        var stateLevels = new SubjectChanges();
        var sessions = new List<SessionLabel>();
        var epochs = new List<string>(info.Epochs);

        ReadTable(outputDirectory, "metrics.csv", warnings, (t, f) =>
        {
            ChangeExtractor.FromMetrics(t, f, info.ReferenceEpoch, changes);
            CollectSessions(t, f, sessions, epochs);
        });
        ReadTable(outputDirectory, "pairs.csv", warnings, (t, f) => ChangeExtractor.FromPairs(t, f, info.ReferenceEpoch, changes));
        ReadTable(outputDirectory, "units.csv", warnings, (t, f) => ChangeExtractor.FromUnits(t, f, info.ReferenceEpoch, changes));
        ReadTable(outputDirectory, "sessions.csv", warnings, (t, f) =>
        {
            CollectSessions(t, f, sessions, epochs);
            ChangeExtractor.FromSessions(t, f, info.ReferenceEpoch, changes, stateLevels);
        });

        var groups = changes.Finish();
        var drugs = groups.Select(g => g.Key.Drug).Concat(sessions.Select(s => s.Drug)).Distinct()
            .OrderBy(d => d == info.Control ? 0 : 1).ThenBy(d => d, StringComparer.Ordinal).ToList();
        var design = StudyDesigns.Detect(sessions, info.Control);
        var byKey = groups.ToDictionary(g => g.Key, g => g.Subjects);
        var stats = new List<GroupStatistic>(groups.Count);
        foreach (var (key, subjects, excluded) in Order(groups, drugs, epochs))
        {
            byKey.TryGetValue(key with { Drug = info.Control }, out var control);
            stats.Add(GroupStatistic.Compute(key, design, subjects, excluded, control, key.Drug == info.Control));
        }
        var mixed = MixedModels.Fit(changes.SessionValues(), info.Control, drugs, epochs.Where(e => e != info.ReferenceEpoch).ToList());
        foreach (var g in stats)
            g.Mixed = g.Key.Drug == info.Control ? MixedModelRow.NotFitted("", 0, "control group")
                : mixed.GetValueOrDefault(g.Key) ?? MixedModelRow.NotFitted("", 0, "no observations for the model");
        var states = stats.Select(g => g.Key.Outcome.State).Where(s => s != StateNames.All).Distinct().ToList();
        if (states.Count > 0)
        {
            var byState = MixedModels.FitStates(changes.SessionValues(), info.Control, drugs, epochs.Where(e => e != info.ReferenceEpoch).ToList(), states);
            foreach (var g in stats.Where(g => !g.Key.Outcome.Pooled && g.Key.Drug != info.Control))
                g.StateModel = byState.GetValueOrDefault(g.Key) ?? MixedModelRow.NotFitted(MixedModels.StateModel, 0, "no observations for the model");
        }
        GroupStatistic.AssignQValues(stats);
        if (!drugs.Contains(info.Control)) warnings.Add($"no session of the control '{info.Control}': no drug-vs-control tests");

        SpectralChanges spectral;
        try
        {
            spectral = SpectralChanges.Load(Path.Combine(outputDirectory, "spectra.h5"), sessions, info.ReferenceEpoch,
                epochs, info.Bands, warnings);
        }
        catch (Native.Hdf5.Hdf5Exception e)
        {
            warnings.Add($"spectra.h5 could not be read ({e.Message}): no PSD change, clusters or time courses");
            spectral = new SpectralChanges();
        }
        var clusters = ClusterTests(spectral, info, design, drugs, epochs);
        var timeInState = stateLevels.Finish().Where(g => g.Subjects.Count > 0)
            .Select(g => new StateTime(g.Key.Drug, g.Key.Epoch, g.Key.Outcome.State, g.Subjects.Average(s => s.Value), g.Subjects.Count))
            .OrderBy(t => drugs.IndexOf(t.Drug)).ThenBy(t => epochs.IndexOf(t.Epoch)).ToList();
        return new ComparisonResult(info, design, drugs, epochs.Where(e => e != info.ReferenceEpoch).ToList(), stats, clusters, spectral, warnings)
        {
            TimeInState = timeInState,
        };
    }

    private static void ReadTable(string directory, string name, List<string> warnings, Action<CsvTable, string> use)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path)) { warnings.Add($"{name} not found: left out"); return; }
        var table = CsvTable.Read(path);
        if (table.Rows.Count == 0) { warnings.Add($"{name} has no rows"); return; }
        // A malformed table costs its own outcomes, not the whole comparison.
        try { use(table, path); }
        catch (Core.EphysInputException e) { warnings.Add($"{name} left out: {e.Message}"); }
    }

    private static void CollectSessions(CsvTable t, string file, List<SessionLabel> sessions, List<string> epochs)
    {
        int session = t.Column("session", file), subject = t.Column("subject", file), drug = t.Column("drug", file);
        int epoch = t.Has("epoch") ? t.Column("epoch", file) : -1;
        foreach (var r in t.Rows)
        {
            var label = new SessionLabel(r[session], r[subject], r[drug]);
            if (!sessions.Contains(label)) sessions.Add(label);
            if (epoch >= 0 && r[epoch].Length > 0 && !epochs.Contains(r[epoch])) epochs.Add(r[epoch]);
        }
    }

    /// <summary>
    /// Rows in a stable, readable order: drug (control first), epoch (study order), state (the pooled "all" first, then
    /// the study's states), then first appearance.
    /// </summary>
    private static IEnumerable<(GroupKey Key, IReadOnlyList<SubjectValue> Subjects, int Excluded)> Order(
        IReadOnlyList<(GroupKey Key, IReadOnlyList<SubjectValue> Subjects, int Excluded)> groups, List<string> drugs, List<string> epochs)
    {
        var outcomeOrder = new Dictionary<Outcome, int>();
        var stateOrder = new Dictionary<string, int> { [StateNames.All] = 0 };
        foreach (var g in groups)
        {
            outcomeOrder.TryAdd(g.Key.Outcome with { State = StateNames.All }, outcomeOrder.Count);
            stateOrder.TryAdd(g.Key.Outcome.State, stateOrder.Count);
        }
        return groups.OrderBy(g => drugs.IndexOf(g.Key.Drug)).ThenBy(g => epochs.IndexOf(g.Key.Epoch))
            .ThenBy(g => stateOrder[g.Key.Outcome.State]).ThenBy(g => outcomeOrder[g.Key.Outcome with { State = StateNames.All }]);
    }

    /// <summary>
    /// PSD clusters per drug, epoch and region with the design's test: paired sign-flip on the per-subject differences
    /// (drug change − control change) when subjects have both, two-group relabelling when the groups are different
    /// animals; a mixed design gets both.
    /// </summary>
    private static List<ClusterRow> ClusterTests(SpectralChanges spectral, StudyInfo info, StudyDesign design, List<string> drugs, List<string> epochs)
    {
        var rows = new List<ClusterRow>();
        var freqs = spectral.Frequencies;
        int bins = freqs.Length;
        var lookup = spectral.Spectra.ToDictionary(s => (s.Drug, s.Epoch, s.Region));
        var regions = spectral.Spectra.Select(s => s.Region).Distinct().OrderBy(r => r, StringComparer.Ordinal).ToList();
        foreach (var drug in drugs.Where(d => d != info.Control))
            foreach (var epoch in epochs.Where(e => e != info.ReferenceEpoch))
                foreach (var region in regions)
                {
                    if (!lookup.TryGetValue((drug, epoch, region), out var a)) continue;
                    lookup.TryGetValue((info.Control, epoch, region), out var b);
                    var control = b?.Subjects ?? [];
                    var controlBySubject = control.GroupBy(s => s.Subject).ToDictionary(g => g.Key, g => g.First().Change);
                    var pairs = a.Subjects.Where(s => controlBySubject.ContainsKey(s.Subject)).ToList();
                    var row = new ClusterRow(design, "", drug, info.Control, epoch, region, a.Subjects.Count, control.Count, pairs.Count,
                        double.NaN, 0, double.NaN, double.NaN, 0, double.NaN, double.NaN, double.NaN, 0, "", "");

                    if (design.HasPairs())
                    {
                        var paired = row with { Test = ClusterRow.PairedTest };
                        if (pairs.Count < 3) rows.Add(paired with { Status = "too few subjects with both drug and control (need ≥ 3)" });
                        else
                        {
                            var d = pairs.SelectMany(s => s.Change.Zip(controlBySubject[s.Subject], (x, y) => x - y)).ToArray();
                            var test = ClusterPermutation.OneSample(d, pairs.Count, bins);
                            AddClusters(rows, paired, test, freqs,
                                test.Exact ? $"exact ({test.Permutations} sign flips)" : $"{test.Permutations} random sign flips");
                        }
                    }
                    if (!design.HasPairs() || design.HasIndependentGroups())
                    {
                        var twoGroup = row with { Test = ClusterRow.TwoGroupTest };
                        int nA = a.Subjects.Count, nB = control.Count;
                        if (nA + nB < 3 || nA < 1 || nB < 1)
                            rows.Add(twoGroup with { Status = "too few subjects (need ≥ 1 per group and ≥ 3 in all)" });
                        else
                        {
                            var test = ClusterPermutation.Test(a.Subjects.SelectMany(s => s.Change).ToArray(), nA,
                                control.SelectMany(s => s.Change).ToArray(), nB, bins);
                            AddClusters(rows, twoGroup, test, freqs, $"{test.Permutations} random relabellings");
                        }
                    }
                }
        return rows;
    }

    private static void AddClusters(List<ClusterRow> rows, ClusterRow template, ClusterTestResult test, double[] freqs, string method)
    {
        var row = template with { Threshold = test.Threshold, Permutations = test.Permutations, Method = method };
        if (test.Clusters.Count == 0) rows.Add(row with { Status = "no cluster above threshold" });
        int k = 0;
        foreach (var c in test.Clusters.OrderBy(c => c.P).ThenBy(c => c.First))
            rows.Add(row with
            {
                Cluster = ++k, FLowHz = freqs[c.First], FHighHz = freqs[c.Last], NBins = c.Last - c.First + 1,
                Statistic = c.Statistic, P = c.P, MeanDifferenceDb = c.MeanDifference, Status = "ok",
            });
    }

    /// <summary>
    /// The clusters of the design's test, for the report and the summary: per drug, epoch and region the paired test
    /// where it ran, else the two-group test.
    /// </summary>
    public static IReadOnlyList<ClusterRow> DesignClusters(IReadOnlyList<ClusterRow> rows)
    {
        var pairedRan = rows.Where(r => r.Test == ClusterRow.PairedTest && r.Tested).Select(r => (r.Drug, r.Epoch, r.Region)).ToHashSet();
        var twoGroup = rows.Where(r => r.Test == ClusterRow.TwoGroupTest).Select(r => (r.Drug, r.Epoch, r.Region)).ToHashSet();
        return rows.Where(r => r.Test == ClusterRow.PairedTest
            ? pairedRan.Contains((r.Drug, r.Epoch, r.Region)) || !twoGroup.Contains((r.Drug, r.Epoch, r.Region))
            : !pairedRan.Contains((r.Drug, r.Epoch, r.Region))).ToList();
    }

    private static readonly string[] ComparisonHeader =
        ["design", "drug", "epoch", "state", "table", "metric", "band", "region", "change_unit", "n_subjects", "n_excluded",
         "mean_change", "sem", "ci95_low", "ci95_high", "hedges_g", "t", "t_p", "t_q", "wilcoxon_w", "wilcoxon_p", "wilcoxon_q",
         "wilcoxon_method", "control_n", "control_mean_change", "difference_vs_control", "hedges_g_vs_control", "welch_t",
         "welch_p", "welch_q", "mannwhitney_u", "mannwhitney_p", "mannwhitney_q", "mannwhitney_method",
         "paired_n", "paired_mean_difference", "hedges_g_av", "paired_t", "paired_t_p", "paired_t_q", "paired_t_method",
         "paired_wilcoxon_w", "paired_wilcoxon_p", "paired_wilcoxon_q", "paired_wilcoxon_method",
         "signflip_p", "signflip_q", "signflip_method", "lmm_model", "lmm_n_obs", "lmm_estimate", "lmm_se", "lmm_ci95_low",
         "lmm_ci95_high", "lmm_df", "lmm_t", "lmm_p", "lmm_q", "lmm_sd_subject", "lmm_sd_session", "lmm_sd_residual",
         "lmm_status", "state_lmm_model", "state_lmm_estimate", "state_lmm_p", "interaction_vs_state", "interaction_estimate",
         "interaction_se", "interaction_df", "interaction_t", "interaction_p", "interaction_q", "state_lmm_status", "status"];

    private static readonly string[] ClustersHeader =
        ["design", "test", "drug", "control", "epoch", "region", "n_drug", "n_control", "n_paired", "threshold", "cluster",
         "f_low_hz", "f_high_hz", "n_bins", "cluster_statistic", "p", "mean_difference_db", "permutations", "permutation_method",
         "status"];

    public static string ComparisonCsv(IReadOnlyList<GroupStatistic> groups) => Csv(ComparisonHeader, row =>
    {
        foreach (var g in groups)
        {
            var o = g.Key.Outcome;
            var pc = g.Paired;
            var lmm = g.Mixed;
            row.Text(g.Design.Name()); row.Text(g.Key.Drug); row.Text(g.Key.Epoch); row.Text(o.State); row.Text(o.Table); row.Text(o.Metric); row.Text(o.Band);
            row.Text(o.Region); row.Text(o.Unit); row.Number(g.Subjects.Count); row.Number(g.Excluded); row.Number(g.Mean); row.Number(g.Sem);
            row.Number(g.CiLow); row.Number(g.CiHigh); row.Number(g.HedgesG); row.Number(g.T.Statistic); row.Number(g.T.P);
            row.Number(g.TQ); row.Number(g.Wilcoxon.Statistic); row.Number(g.Wilcoxon.P); row.Number(g.WilcoxonQ);
            row.Text(g.Wilcoxon.Method); row.Number(g.ControlN); row.Number(g.ControlMean); row.Number(g.Mean - g.ControlMean);
            row.Number(g.HedgesGVsControl); row.Number(g.Welch.Statistic); row.Number(g.Welch.P); row.Number(g.WelchQ);
            row.Number(g.MannWhitney.Statistic); row.Number(g.MannWhitney.P); row.Number(g.MannWhitneyQ); row.Text(g.MannWhitney.Method);
            row.Number(pc.N); row.Number(pc.MeanDifference); row.Number(pc.HedgesGAv); row.Number(pc.T.Statistic); row.Number(pc.T.P);
            row.Number(g.PairedTQ); row.Text(pc.T.Method); row.Number(pc.Wilcoxon.Statistic); row.Number(pc.Wilcoxon.P);
            row.Number(g.PairedWilcoxonQ); row.Text(pc.Wilcoxon.Method); row.Number(pc.SignFlip.P); row.Number(g.SignFlipQ);
            row.Text(pc.SignFlip.Method); row.Text(lmm.Model); row.Number(lmm.Observations); row.Number(lmm.Contrast.Estimate);
            row.Number(lmm.Contrast.Se); row.Number(lmm.Contrast.Low); row.Number(lmm.Contrast.High); row.Number(lmm.Contrast.Df);
            row.Number(lmm.Contrast.T); row.Number(lmm.Contrast.P); row.Number(g.MixedQ); row.Number(lmm.SdSubject);
            row.Number(lmm.SdSession); row.Number(lmm.SdResidual); row.Text(lmm.Status);
            var sm = g.StateModel;
            row.Text(sm.Model); row.Number(sm.Contrast.Estimate); row.Number(sm.Contrast.P); row.Text(sm.InteractionBase);
            row.Number(sm.Interaction.Estimate); row.Number(sm.Interaction.Se); row.Number(sm.Interaction.Df); row.Number(sm.Interaction.T);
            row.Number(sm.Interaction.P); row.Number(g.InteractionQ); row.Text(sm.Status); row.Text(g.Status);
            row.End();
        }
    });

    public static string ClustersCsv(IReadOnlyList<ClusterRow> rows) => Csv(ClustersHeader, row =>
    {
        foreach (var r in rows)
        {
            row.Text(r.Design.Name()); row.Text(r.Test); row.Text(r.Drug); row.Text(r.Control); row.Text(r.Epoch); row.Text(r.Region);
            row.Number(r.NDrug); row.Number(r.NControl); row.Number(r.NPaired); row.Number(r.Threshold); row.Number(r.Cluster);
            row.Number(r.FLowHz); row.Number(r.FHighHz); row.Number(r.NBins); row.Number(r.Statistic); row.Number(r.P);
            row.Number(r.MeanDifferenceDb); row.Number(r.Permutations); row.Text(r.Method); row.Text(r.Status);
            row.End();
        }
    });

    /// <summary>A table in the study's CSV dialect, through the one row writer the study tables use.</summary>
    private static string Csv(string[] header, Action<CsvRowWriter> rows)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write(Tables.HeaderLine(header));
        using (var row = new CsvRowWriter(writer)) rows(row);
        return writer.ToString();
    }
}
