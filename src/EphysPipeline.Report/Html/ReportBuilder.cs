using System.Globalization;
using System.Text;
using EphysPipeline.Report.Changes;
using EphysPipeline.Report.Statistics;
using static EphysPipeline.Report.Html.Svg;

namespace EphysPipeline.Report.Html;

/// <summary>
/// report.html: one self-contained XHTML-compatible page (inline CSS and SVG, no scripts, no external references).
/// Its bytes depend only on the outputs, so the same study gives the same report.
/// </summary>
public static class ReportBuilder
{
    private static readonly string[] EntropyMetrics = ["spectral_entropy", "perm_entropy", "sample_entropy", "lz_complexity", "mse_area"];

    /// <summary>Axis labels short enough for five groups side by side.</summary>
    private static readonly Dictionary<string, string> ShortNames = new()
    {
        ["spectral_entropy"] = "spectral H", ["perm_entropy"] = "perm. H", ["sample_entropy"] = "SampEn",
        ["lz_complexity"] = "LZ", ["mse_area"] = "MSE area",
    };

    public static string Build(ComparisonResult all)
    {
        // Every section but the state section shows the pooled values (the whole epoch), as without states.
        var r = all with { Groups = all.Groups.Where(g => g.Key.Outcome.Pooled).ToList() };
        var colours = new Dictionary<string, string>();
        int next = 1;
        foreach (var d in r.Drugs) colours[d] = d == r.Info.Control ? Palette[0] : Palette[1 + (next++ - 1) % (Palette.Length - 1)];
        var legend = r.Drugs.Select(d => (d, colours[d])).ToList();
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
          .Append($"<title>{Esc(r.Info.Study)} — drug comparison</title><style>{Css}</style></head><body>\n");
        sb.Append($"<h1>{Esc(r.Info.Study)}: changes from {Esc(r.Info.ReferenceEpoch)}, drugs vs {Esc(r.Info.Control)}</h1>\n");
        Overview(sb, r);
        Findings(sb, r);
        PsdSection(sb, r, colours);
        BarSection(sb, r, legend, colours, "Band power change per region", "Change from the reference epoch, 10·log10(epoch / reference); bars are the mean over subjects, lines the 95% bootstrap CI, dots the subjects.",
            g => g.Key.Outcome is { Table: "metrics", Metric: "band_power" }, g => g.Key.Outcome.Band, "band power change (dB)");
        StateSection(sb, all, legend, colours);
        TimeCourseSection(sb, r, colours);
        PlvSection(sb, r);
        BarSection(sb, r, legend, colours, "Entropy and complexity", "Difference epoch − reference: spectral H = spectral entropy, perm. H = permutation entropy (both normalised 0–1), SampEn = sample entropy (nats), LZ = normalised Lempel–Ziv complexity, MSE area = multiscale-entropy area.",
            g => g.Key.Outcome.Table == "metrics" && EntropyMetrics.Contains(g.Key.Outcome.Metric), g => ShortNames[g.Key.Outcome.Metric], "change (difference)");
        BarSection(sb, r, legend, colours, "Units: firing rate", "ln(epoch rate / reference rate) per unit, mean per subject and region.",
            g => g.Key.Outcome is { Table: "units", Metric: "firing_rate_log_ratio" }, _ => "firing rate", "ln ratio");
        BarSection(sb, r, legend, colours, "Units: spike–field locking (PPC)", "PPC0 difference epoch − reference per unit and band, mean per subject and region.",
            g => g.Key.Outcome is { Table: "units", Metric: "ppc" }, g => g.Key.Outcome.Band, "PPC change");
        Methods(sb, r);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private const string Css =
        "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1500px}" +
        "h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}" +
        "p.note{color:#555;font-size:13px;max-width:1000px}.grid{display:flex;flex-wrap:wrap;gap:12px}" +
        "svg{background:#fff;border:1px solid #e4e4e4}svg text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif}" +
        ".title{font-size:13px;font-weight:bold}.tick{font-size:11px;fill:#333}.label{font-size:12px;fill:#222}" +
        ".cell{font-size:10px;fill:#111}.mark{font-size:13px;font-weight:bold;fill:#111}.axis{stroke:#333;stroke-width:1}" +
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}" +
        "th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}";

    private static string N(double v, string format = "0.###") =>
        double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Q(double q) => !double.IsFinite(q) ? "—" : q < 0.001 ? q.ToString("0.0e0", CultureInfo.InvariantCulture) : q.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Overview(StringBuilder sb, ComparisonResult r)
    {
        sb.Append("<p>");
        foreach (var drug in r.Drugs)
        {
            int n = r.Groups.Where(g => g.Key.Drug == drug).SelectMany(g => g.Subjects).Select(s => s.Subject).Distinct().Count();
            sb.Append($"{Esc(drug)}: {n} subject{(n == 1 ? "" : "s")}. ");
        }
        sb.Append($"Epochs compared with {Esc(r.Info.ReferenceEpoch)}: {Esc(string.Join(", ", r.Epochs))}. ");
        sb.Append($"{r.Groups.Count} outcomes (drug × epoch × measure × band × region).");
        if (r.Info.SoftwareVersion is { } v) sb.Append($" EphysPipeline {Esc(v)}");
        if (r.Info.ConfigSha256 is { } h) sb.Append($", config SHA-256 {Esc(h[..Math.Min(12, h.Length)])}…");
        sb.Append("</p>\n");
    }

    private static string Describe(GroupStatistic g)
    {
        var o = g.Key.Outcome;
        string what = o.Table switch
        {
            "metrics" when o.Metric == "band_power" => $"{o.Band} power",
            "pairs" => $"{o.Band} {o.Metric}",
            "units" when o.Band.Length > 0 => $"unit {o.Band} {o.Metric.ToUpperInvariant()}",
            "units" when o.Metric == "firing_rate_hz" => "unit firing rate (Hz)",
            "units" => "unit firing rate (ln ratio)",
            _ => o.Band.Length > 0 ? $"{o.Metric.Replace('_', ' ')} ({o.Band})" : o.Metric.Replace('_', ' '),
        };
        return $"{what} in {o.Region}";
    }

    private static string Amount(double v, string unit) =>
        double.IsFinite(v) ? (v >= 0 ? "+" : "−") + Math.Abs(v).ToString(unit == "dB" ? "0.0" : "0.####", CultureInfo.InvariantCulture) + (unit == "dB" ? " dB" : "") : "—";

    private static void Findings(StringBuilder sb, ComparisonResult r)
    {
        sb.Append("<h2>Significant findings (q &lt; 0.05)</h2>\n");
        var rows = r.Groups.Where(Comparison.IsSignificant)
            .OrderBy(g => Math.Min(Nan1(g.WilcoxonQ), Nan1(Comparison.ContrastQ(g)))).ToList();
        if (rows.Count == 0) { sb.Append("<p>No change passed the false-discovery threshold.</p>\n"); return; }
        const int shown = 30;
        sb.Append($"<p class=\"note\">{rows.Count} outcome{(rows.Count == 1 ? "" : "s")} with q &lt; 0.05, strongest first{(rows.Count > shown ? $"; the first {shown} are listed, all are in comparison.csv" : "")}. Change is the mean over subjects; Hedges' g is that of the change. Versus {Esc(r.Info.Control)}: the {Esc(r.Design.Name())} design's contrast (the mixed model's drug − {Esc(r.Info.Control)} estimate where it was fitted, else the paired mean difference or the difference of group means) with its test.</p>\n");
        sb.Append($"<table><tr><th>finding</th><th>epoch</th><th>n</th><th>within drug (Wilcoxon)</th><th>vs {Esc(r.Info.Control)}</th><th>Hedges g</th></tr>\n");
        foreach (var g in rows.Take(shown))
        {
            string unit = g.Key.Outcome.Unit;
            var (test, estimate, q) = Comparison.Contrast(g);
            string versus = g.Key.Drug == r.Info.Control ? "— (the control)" : $"{Esc(Amount(estimate, unit))} ({Esc(test)}), {Bold(q)}";
            sb.Append($"<tr><td>{Esc(g.Key.Drug)}: {Esc(Describe(g))} {Esc(Amount(g.Mean, unit))}</td><td>{Esc(g.Key.Epoch)}</td><td class=\"num\">{g.Subjects.Count}</td>")
              .Append($"<td>{Bold(g.WilcoxonQ)} (p = {Q(g.Wilcoxon.P)})</td>")
              .Append($"<td>{versus}</td>")
              .Append($"<td class=\"num\">{N(g.HedgesG, "0.00")}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    /// <summary>"q = …", in bold when below the threshold.</summary>
    private static string Bold(double q) => q < Comparison.SignificanceQ ? $"<b>q = {Q(q)}</b>" : $"q = {Q(q)}";

    private static double Nan1(double q) => double.IsNaN(q) ? 1 : q;

    private static void PsdSection(StringBuilder sb, ComparisonResult r, Dictionary<string, string> colours)
    {
        var sp = r.Spectral;
        if (sp.Spectra.Count == 0) return;
        var designClusters = Comparison.DesignClusters(r.Clusters);
        string test = designClusters.Any(c => c.Test == ClusterRow.PairedTest && c.Tested)
            ? "paired: sign-flip permutation of each subject's drug − control PSD change, t per bin"
            : "two groups: relabelling permutation, F per bin";
        sb.Append("<h2>PSD change from baseline</h2>\n<p class=\"note\">Mean over subjects of the region's PSD change, 10·log10(epoch / reference); shaded: mean ± t(0.975, n−1)·SEM. Bars under the curves: frequency clusters where the drug differs from the control (cluster permutation test, ")
          .Append(Esc(test)).Append("; p &lt; 0.05).</p>\n<div class=\"grid\">");
        double maxBand = r.Info.Bands.Count > 0 ? r.Info.Bands.Values.Max(b => b.High) : double.PositiveInfinity;
        var keep = Enumerable.Range(0, sp.Frequencies.Length).Where(i => sp.Frequencies[i] > 0 && sp.Frequencies[i] <= maxBand * 1.1).ToArray();
        var x = keep.Select(i => sp.Frequencies[i]).ToArray();
        foreach (var epoch in r.Epochs)
            foreach (var region in sp.Spectra.Select(s => s.Region).Distinct().OrderBy(s => s, StringComparer.Ordinal))
            {
                var series = new List<Series>();
                foreach (var drug in r.Drugs)
                {
                    var group = sp.Spectra.FirstOrDefault(s => s.Drug == drug && s.Epoch == epoch && s.Region == region);
                    if (group is null) continue;
                    var (mean, lo, hi) = MeanBand(group.Subjects.Select(s => s.Change).ToList(), keep);
                    series.Add(new Series($"{drug} (n={group.Subjects.Count})", colours[drug], mean, lo, hi, drug == r.Info.Control));
                }
                if (series.Count == 0) continue;
                var spans = designClusters.Where(c => c.Epoch == epoch && c.Region == region && c.P < 0.05)
                    .Select(c => (c.FLowHz, c.FHighHz, colours.GetValueOrDefault(c.Drug, Palette[1]))).ToList();
                sb.Append(LineChart($"{region}, {epoch}", "frequency (Hz)", "PSD change (dB)", x, series, spans));
            }
        sb.Append("</div>\n");
    }

    /// <summary>Mean and t-based 95% interval over subjects per selected bin (finite values only).</summary>
    private static (double[] Mean, double[] Low, double[] High) MeanBand(List<double[]> rows, int[] bins)
    {
        int n = bins.Length;
        double[] mean = new double[n], lo = new double[n], hi = new double[n];
        for (int k = 0; k < n; k++)
        {
            var v = rows.Select(row => row[bins[k]]).Where(double.IsFinite).ToArray();
            var (m, var) = Descriptive.MeanVariance(v);
            double half = v.Length >= 2 ? Distributions.StudentTIsf(0.025, v.Length - 1) * Math.Sqrt(var / v.Length) : double.NaN;
            (mean[k], lo[k], hi[k]) = (m, m - half, m + half);
        }
        return (mean, lo, hi);
    }

    private static void BarSection(StringBuilder sb, ComparisonResult r, List<(string, string)> legend, Dictionary<string, string> colours,
        string heading, string note, Func<GroupStatistic, bool> select, Func<GroupStatistic, string> category, string yLabel)
    {
        var rows = r.Groups.Where(select).ToList();
        if (rows.Count == 0) return;
        bool paired = r.Design.HasPairs();
        var tests = rows.Where(g => g.Key.Drug != r.Info.Control).Select(g => Comparison.Contrast(g).Test).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append($"<h2>{Esc(heading)}</h2>\n<p class=\"note\">{Esc(note)}{(paired ? $" Grey lines join each subject's {Esc(r.Info.Control)} and drug values." : "")} * within-drug change q &lt; 0.05 (Wilcoxon); † drug vs {Esc(r.Info.Control)} q &lt; 0.05 ({Esc(tests.Count > 0 ? string.Join(" or ", tests) : "no test")}: the design's contrast).</p>\n<div class=\"grid\">");
        foreach (var epoch in r.Epochs)
            foreach (var region in rows.Select(g => g.Key.Outcome.Region).Distinct().OrderBy(s => s, StringComparer.Ordinal))
            {
                var panel = rows.Where(g => g.Key.Epoch == epoch && g.Key.Outcome.Region == region).ToList();
                if (panel.Count == 0) continue;
                var groups = panel.Select(category).Distinct().Select(c => (c, (IReadOnlyList<Bar>)r.Drugs
                    .Select(d => panel.FirstOrDefault(g => g.Key.Drug == d && category(g) == c))
                    .Where(g => g is not null).Select(g => new Bar(g!.Key.Drug, colours[g.Key.Drug], g.Mean, g.CiLow, g.CiHigh,
                        g.Subjects.Select(s => (s.Subject, s.Value)).ToList(),
                        (g.WilcoxonQ < Comparison.SignificanceQ ? "*" : "") + (Comparison.ContrastQ(g) < Comparison.SignificanceQ ? "†" : ""))).ToList())).ToList();
                sb.Append(BarChart($"{region}, {epoch}", yLabel, groups, legend, paired ? r.Info.Control : null));
            }
        sb.Append("</div>\n");
    }

    /// <summary>
    /// Time in each state per drug, and each band's power change per state beside the pooled change: a drug that
    /// changes behaviour changes the pooled value through the behaviour alone (docs/study.md "States").
    /// </summary>
    private static void StateSection(StringBuilder sb, ComparisonResult r, List<(string, string)> legend, Dictionary<string, string> colours)
    {
        var states = r.Groups.Select(g => g.Key.Outcome.State).Where(s => s != Study.Outputs.StateNames.All).Distinct().ToList();
        if (states.Count == 0) return;
        TimeInStateTable(sb, r, states);
        BarSection(sb, r, legend, colours, "Change of time in each behavioural state",
            $"Share of the epoch spent in each state ({string.Join(", ", states)}), change from the reference epoch in percentage points.",
            g => g.Key.Outcome is { Table: "sessions", Metric: ChangeExtractor.TimeInStateMetric }, g => g.Key.Outcome.State, "time in state change (pp)");
        var order = new List<string> { Study.Outputs.StateNames.All };
        order.AddRange(states);
        var bands = r.Info.Bands.OrderBy(b => b.Value.Low).Select(b => b.Key).ToList();
        foreach (var band in bands)
        {
            var rows = r.Groups.Where(g => g.Key.Outcome is { Table: "metrics", Metric: "band_power" } && g.Key.Outcome.Band == band)
                .OrderBy(g => order.IndexOf(g.Key.Outcome.State)).ToList();
            if (rows.All(g => g.Key.Outcome.Pooled)) continue;
            BarSection(sb, r with { Groups = rows }, legend, colours, $"{band} power change per state",
                $"10·log10(epoch / reference) over the windows wholly inside each state (reference and epoch in the same state) beside the pooled value ('{Study.Outputs.StateNames.All}', every clean window). Where the pooled change differs from every state's, the drug changed the time in state rather than (only) the oscillation.",
                _ => true, g => g.Key.Outcome.State, "band power change (dB)");
        }
    }

    /// <summary>Per state, a drug × epoch table of the mean share of the epoch in the state (n subjects).</summary>
    private static void TimeInStateTable(StringBuilder sb, ComparisonResult r, List<string> states)
    {
        if (r.TimeInState.Count == 0) return;
        var epochs = r.TimeInState.Select(t => t.Epoch).Distinct().ToList();
        sb.Append("<h2>Time in each behavioural state</h2>\n<p class=\"note\">Mean over subjects of the share of each epoch spent in the state (sessions.csv time_&lt;state&gt;_s over the epoch's length), n subjects in brackets.</p>\n");
        foreach (var state in states)
        {
            sb.Append($"<h3>{Esc(state)}</h3><table><tr><th>drug</th>");
            foreach (var e in epochs) sb.Append($"<th>{Esc(e)}</th>");
            sb.Append("</tr>\n");
            foreach (var drug in r.Drugs)
            {
                sb.Append($"<tr><td>{Esc(drug)}</td>");
                foreach (var e in epochs)
                {
                    var t = r.TimeInState.FirstOrDefault(x => x.Drug == drug && x.Epoch == e && x.State == state);
                    sb.Append(t is null ? "<td class=\"num\">—</td>" : $"<td class=\"num\">{N(t.MeanPercent, "0.0")} % ({t.Subjects})</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
    }

    private static void TimeCourseSection(StringBuilder sb, ComparisonResult r, Dictionary<string, string> colours)
    {
        var courses = r.Spectral.TimeCourses;
        if (courses.Count == 0) return;
        sb.Append("<h2>Band power around the injection</h2>\n<p class=\"note\">From the spectrograms: band power of the channel-mean PSD per frame, in dB relative to the mean before the injection (t = 0, dashed), mean over subjects per drug.</p>\n<div class=\"grid\">");
        var bands = r.Info.Bands.OrderBy(b => b.Value.Low).Select(b => b.Key).Where(b => courses.Any(c => c.Band == b));
        foreach (var band in bands)
        {
            var groups = r.Drugs.Select(d => courses.FirstOrDefault(c => c.Drug == d && c.Band == band)).Where(c => c is not null).ToList();
            var times = groups.SelectMany(c => c!.Times).Distinct().Order().ToArray();
            var series = new List<Series>();
            foreach (var c in groups)
            {
                var index = c!.Times.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
                var mean = times.Select(t => index.TryGetValue(t, out int i)
                    ? c.Subjects.Select(s => s.Db[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average() : double.NaN).ToArray();
                series.Add(new Series($"{c.Drug} (n={c.Subjects.Count})", colours[c.Drug], mean, Dashed: c.Drug == r.Info.Control));
            }
            sb.Append(LineChart($"{band} ({N(r.Info.Bands[band].Low)}–{N(r.Info.Bands[band].High)} Hz)", "time from injection (min)",
                "band power change (dB)", times.Select(t => t / 60).ToArray(), series, vertical: 0));
        }
        sb.Append("</div>\n");
    }

    private static void PlvSection(StringBuilder sb, ComparisonResult r)
    {
        var rows = r.Groups.Where(g => g.Key.Outcome is { Table: "pairs", Metric: "plv" }).ToList();
        if (rows.Count == 0) return;
        var pairs = rows.Select(g => g.Key.Outcome.Region).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        var bands = r.Info.Bands.OrderBy(b => b.Value.Low).Select(b => b.Key).Where(b => rows.Any(g => g.Key.Outcome.Band == b))
            .Concat(rows.Select(g => g.Key.Outcome.Band).Where(b => !r.Info.Bands.ContainsKey(b)).Distinct()).ToList();
        sb.Append("<h2>Phase locking (PLV) change</h2>\n<p class=\"note\">Mean over subjects of the PLV difference epoch − reference, averaged over the channel pairs of each region pair; grey: no data.</p>\n<div class=\"grid\">");
        // One colour scale for every panel so drugs compare at a glance.
        double scale = rows.Select(g => Math.Abs(g.Mean)).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        foreach (var drug in r.Drugs)
            foreach (var epoch in r.Epochs)
            {
                var values = new double[pairs.Count, bands.Count];
                bool any = false;
                for (int i = 0; i < pairs.Count; i++)
                    for (int j = 0; j < bands.Count; j++)
                    {
                        var g = rows.FirstOrDefault(x => x.Key.Drug == drug && x.Key.Epoch == epoch && x.Key.Outcome.Region == pairs[i] && x.Key.Outcome.Band == bands[j]);
                        values[i, j] = g?.Mean ?? double.NaN;
                        any |= g is not null;
                    }
                if (any) sb.Append(Heatmap($"{drug}, {epoch}: PLV change", pairs, bands, values, "PLV", scale));
            }
        sb.Append("</div>\n");
    }

    private static void Methods(StringBuilder sb, ComparisonResult r)
    {
        string control = Esc(r.Info.Control);
        int subjects = r.Groups.SelectMany(g => g.Subjects).Select(s => s.Subject).Distinct().Count();
        sb.Append("<h2>Methods and notes</h2>\n<p class=\"note\">Per session, every metric of every non-reference epoch is compared with the same channel's reference-epoch value (band power in dB, other measures as a difference); channels are averaged per region, then sessions per subject and drug. Within each drug, statistics are over subjects: mean, SEM, 95% percentile-bootstrap CI (10,000 resamples, fixed seed), Hedges' g, Wilcoxon signed-rank and one-sample t against 0.</p>\n");
        sb.Append($"<p class=\"note\"><b>Design: {Esc(r.Design.Name())}</b> ({subjects} subject{(subjects == 1 ? "" : "s")}). ");
        sb.Append(r.Design switch
        {
            StudyDesign.WithinSubject => $"Every subject with a drug session also has {control} sessions (crossover), so each drug is compared with {control} within subjects: per subject d = drug change − {control} change; paired t, Wilcoxon signed-rank on d, the sign-flip permutation test of mean(d) (exact when 2ⁿ ≤ 65,536) and Hedges' g_av.",
            StudyDesign.BetweenSubject => $"No subject has both a drug and a {control} session, so drugs and {control} are independent groups: Welch t and Mann–Whitney U on the subjects' changes, Hedges' g against {control}.",
            StudyDesign.Mixed => $"Some drug subjects also have {control} sessions and some do not: paired contrasts (paired t, Wilcoxon signed-rank, sign-flip permutation, Hedges' g_av) on the subjects with both, and Welch t and Mann–Whitney U on everyone.",
            _ => $"There are no {control} sessions or no drug sessions: no drug-vs-{control} tests.",
        });
        sb.Append("</p>\n");
        MixedModelMethods(sb, r);
        sb.Append($"<p class=\"note\">The drug-vs-{control} contrast of the findings table and the † marks is the mixed model's where it was fitted and converged, else the paired t where subjects have both values, else Welch t. q-values are Benjamini–Hochberg within each test's family (all rows of comparison.csv).</p>\n");
        var clusters = Comparison.DesignClusters(r.Clusters).Where(c => c.Tested).ToList();
        if (clusters.Count > 0)
        {
            sb.Append("<p class=\"note\">PSD clusters across frequencies: ");
            if (clusters.Any(c => c.Test == ClusterRow.PairedTest))
            {
                var methods = clusters.Where(c => c.Test == ClusterRow.PairedTest).Select(c => c.Method).Distinct().Order(StringComparer.Ordinal);
                sb.Append($"paired cluster permutation test (as mne.stats.permutation_cluster_1samp_test) on each subject's drug − {control} PSD change: one-sample t per frequency bin, two-tailed threshold t(n−1) at p = 0.05, cluster mass = sum of t, null = largest |mass| per sign flip ({Esc(string.Join("; ", methods))}). ");
            }
            if (clusters.Any(c => c.Test == ClusterRow.TwoGroupTest))
                sb.Append($"Two-group cluster permutation test (as mne.stats.permutation_cluster_test): F per bin, threshold F(1, N−2) at p = 0.05, cluster mass = sum of F, 1024 labellings (fixed seed). ");
            sb.Append("</p>\n");
        }
        sb.Append("<p class=\"note\">Full definitions: docs/report.md.</p>\n");
        if (r.Warnings.Count > 0)
        {
            sb.Append("<h3>Warnings</h3><ul>");
            foreach (var w in r.Warnings) sb.Append($"<li>{Esc(w)}</li>");
            sb.Append("</ul>\n");
        }
    }

    /// <summary>The mixed models as fitted: formulas, estimation, df, and how many fits were singular or failed.</summary>
    private static void MixedModelMethods(StringBuilder sb, ComparisonResult r)
    {
        var rows = r.Groups.Where(g => g.Key.Drug != r.Info.Control).ToList();
        var fitted = rows.Where(g => double.IsFinite(g.Mixed.Contrast.Estimate)).ToList();
        sb.Append("<p class=\"note\"><b>Linear mixed-effects models</b>, one per outcome (measure × band × region) on every session's change across drugs and epochs: ");
        if (fitted.Count == 0)
        {
            var reasons = rows.Select(g => g.Mixed.Status).Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
            sb.Append($"none fitted ({Esc(reasons.Count > 0 ? string.Join("; ", reasons) : "no outcomes")}).</p>\n");
            return;
        }
        var models = fitted.GroupBy(g => g.Mixed.Model).OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => $"<code>{Esc(Formula(m.Key))}</code> ({m.Select(g => g.Key.Outcome).Distinct().Count()} outcomes)");
        sb.Append(string.Join(", ", models));
        sb.Append($", treatment coding with {Esc(r.Info.Control)} and the first compared epoch as references; fitted by REML; for each drug and epoch the contrast drug − {Esc(r.Info.Control)} with its standard error, Satterthwaite degrees of freedom (as R lmerTest), t, two-sided p and the 95% CI estimate ± t(0.975, df)·SE. ");
        int singular = fitted.Count(g => g.Mixed.Status.StartsWith("boundary", StringComparison.Ordinal));
        int unsure = fitted.Count(g => g.Mixed.Status.StartsWith("may not", StringComparison.Ordinal));
        int failed = rows.Count(g => g.Mixed.Status.StartsWith("did not converge", StringComparison.Ordinal));
        int notFitted = rows.Count - fitted.Count - failed;
        sb.Append($"{fitted.Count} of {rows.Count} drug rows have a contrast");
        if (singular > 0) sb.Append($"; {singular} from a boundary (singular) fit, a variance estimated as 0");
        if (unsure > 0) sb.Append($"; {unsure} may not have converged");
        if (failed > 0) sb.Append($"; {failed} did not converge (left out of the model's q-values)");
        if (notFitted > 0) sb.Append($"; {notFitted} not fitted (the reason is in lmm_status)");
        sb.Append(". Each row's status is in comparison.csv (lmm_status).</p>\n");
    }

    /// <summary>The model formula with × for the crossed fixed effects, as written in the methods.</summary>
    private static string Formula(string model) => model.Replace("drug * epoch", "drug × epoch", StringComparison.Ordinal);
}
