using System.Xml;
using System.Xml.Linq;
using EphysPipeline.Report.Inputs;
using EphysPipeline.TestSupport;
using Xunit;

namespace EphysPipeline.Report.Tests;

public class ComparisonTests
{
    private static Dictionary<string, string> Row(CsvTable t, string[] r) =>
        t.Header.Select((h, i) => (h, r[i])).ToDictionary(p => p.h, p => p.Item2);

    private static List<Dictionary<string, string>> Rows(string path)
    {
        var t = CsvTable.Read(path);
        return t.Rows.Select(r => Row(t, r)).ToList();
    }

    [Fact]
    public void FindsTheInjectedEffectsAndNotOthers()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path);
        var summary = Comparison.Run(dir.Path);
        var rows = Rows(summary.ComparisonCsv);

        var ket = rows.Single(r => r["drug"] == "ketamine" && r["metric"] == "band_power" && r["band"] == "high_gamma" && r["region"] == "PFC");
        Assert.Equal("dB", ket["change_unit"]);
        Assert.Equal("6", ket["n_subjects"]);
        Assert.InRange(CsvTable.Number(ket["mean_change"]), 10 * Math.Log10(SyntheticStudy.KetamineGain) - 0.3, 10 * Math.Log10(SyntheticStudy.KetamineGain) + 0.3);
        Assert.True(CsvTable.Number(ket["welch_q"]) < 0.05, $"ketamine high gamma vs saline q = {ket["welch_q"]}");
        Assert.Equal(2.0 / 64, CsvTable.Number(ket["wilcoxon_p"]), 12); // all six subjects up: the exact minimum for n = 6
        Assert.Equal("exact", ket["wilcoxon_method"]);
        // ketamine's theta power did not change: not significant.
        var theta = rows.Single(r => r["drug"] == "ketamine" && r["metric"] == "band_power" && r["band"] == "theta" && r["region"] == "PFC");
        Assert.True(CsvTable.Number(theta["welch_q"]) > 0.05);
        Assert.True(Math.Abs(CsvTable.Number(theta["mean_change"])) < 0.5);

        var plv = rows.Single(r => r["drug"] == "ketamine" && r["table"] == "pairs" && r["metric"] == "plv" && r["band"] == "theta" && r["region"] == "HPC-PFC");
        Assert.Equal(0.1, CsvTable.Number(plv["mean_change"]), 1);
        var rate = rows.Single(r => r["drug"] == "ketamine" && r["metric"] == "firing_rate_log_ratio" && r["region"] == "PFC");
        Assert.Equal(Math.Log(1.5), CsvTable.Number(rate["mean_change"]), 1);
        var pe = rows.Single(r => r["drug"] == "psilocybin" && r["metric"] == "perm_entropy" && r["region"] == "HPC");
        Assert.InRange(CsvTable.Number(pe["mean_change"]), 0.03, 0.075);

        // Per-peak rows and the duplicate dB column are not outcomes; the control has no between-group test.
        Assert.DoesNotContain(rows, r => r["metric"] is "peak_frequency_hz" or "band_power_db");
        var saline = rows.First(r => r["drug"] == "saline");
        Assert.Equal("NaN", saline["welch_p"]);
        Assert.Equal("control group", saline["mannwhitney_method"]);
        Assert.True(summary.Significant > 0);
    }

    [Fact]
    public void BetweenSubjectStudyKeepsIndependentGroupTestsAndHasNoPairs()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, subjectsPerDrug: 4);
        var rows = Rows(Comparison.Run(dir.Path).ComparisonCsv);
        Assert.All(rows, r => Assert.Equal("between-subject", r["design"]));
        var ket = rows.First(r => r["drug"] == "ketamine");
        Assert.NotEqual("NaN", ket["welch_p"]);
        Assert.Equal("between-subject design", ket["paired_t_method"]);
        Assert.Equal("0", ket["paired_n"]);
        // One post-epoch session per subject: no within-subject replication for a subject intercept.
        Assert.Equal("one observation per subject: the subject intercept is not identifiable", ket["lmm_status"]);
    }

    [Fact]
    public void WithinSubjectStudyUsesPairedContrastsThatRemoveSubjectOffsets()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, withinSubject: true);
        var result = Comparison.Compute(dir.Path);
        Assert.Equal(Changes.StudyDesign.WithinSubject, result.Design);
        var rows = Rows(Comparison.Run(dir.Path).ComparisonCsv);
        Assert.All(rows, r => Assert.Equal("within-subject", r["design"]));
        var pe = rows.Single(r => r["drug"] == "psilocybin" && r["metric"] == "perm_entropy" && r["region"] == "HPC");
        Assert.Equal("6", pe["paired_n"]);
        Assert.InRange(CsvTable.Number(pe["paired_mean_difference"]), 0.02, 0.08);
        Assert.True(CsvTable.Number(pe["paired_t_q"]) < 0.05, $"paired q = {pe["paired_t_q"]}");
        Assert.Equal(2.0 / 64, CsvTable.Number(pe["signflip_p"]), 12); // all six differences positive
        Assert.Equal("exact (64 sign flips)", pe["signflip_method"]);
        Assert.Equal("NaN", pe["welch_p"]);
        Assert.Equal("within-subject design: see the paired columns", pe["mannwhitney_method"]);
        // Treated as independent groups, the subject offsets would swamp the same effect.
        var g = result.Groups.Single(x => x.Key.Drug == "psilocybin" && x.Key.Outcome is { Metric: "perm_entropy", Region: "HPC" });
        var control = result.Groups.Single(x => x.Key with { Drug = "saline" } == g.Key with { Drug = "saline" } && x.Key.Drug == "saline");
        Assert.True(Statistics.TTests.Welch(g.Values, control.Values).P > 0.05);

        // One session per drug and one epoch: the model's contrast is the paired mean difference, with the residual
        // df of the two-way layout, (6 − 1)·(3 − 1) = 10.
        Assert.Equal(Changes.MixedModels.SubjectModel, pe["lmm_model"]);
        Assert.Equal("18", pe["lmm_n_obs"]);
        Assert.Equal(CsvTable.Number(pe["paired_mean_difference"]), CsvTable.Number(pe["lmm_estimate"]), 12);
        Assert.Equal(10, CsvTable.Number(pe["lmm_df"]), 6);
        Assert.True(CsvTable.Number(pe["lmm_q"]) < 0.05);
        Assert.Contains(pe["lmm_status"], new[] { "ok", "boundary (singular) fit" });
        Assert.Equal("mixed model", Comparison.Contrast(g).Test);
        Assert.Equal("control group", rows.First(r => r["drug"] == "saline")["lmm_status"]);
    }

    [Fact]
    public void MixedDesignFitsTheModelOnEveryoneAndPairsOnlyTheCrossedSubjects()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, subjectsPerDrug: 5, withinSubject: true);
        // m01 loses its saline session; m02 gets a second saline session (a copy under a new name).
        foreach (var file in new[] { "metrics.csv", "pairs.csv", "units.csv", "sessions.csv" })
        {
            var path = Path.Combine(dir.Path, file);
            var lines = File.ReadAllLines(path).ToList();
            var repeat = lines.Where(l => l.StartsWith("m02_saline,", StringComparison.Ordinal)).Select(l => "m02_saline2" + l["m02_saline".Length..]).ToList();
            lines.RemoveAll(l => l.StartsWith("m01_saline,", StringComparison.Ordinal));
            lines.AddRange(repeat);
            File.WriteAllLines(path, lines);
        }
        var rows = Rows(Comparison.Run(dir.Path).ComparisonCsv);
        Assert.All(rows, r => Assert.Equal("mixed", r["design"]));
        var pe = rows.Single(r => r["drug"] == "psilocybin" && r["metric"] == "perm_entropy" && r["region"] == "HPC");
        Assert.Equal("4", pe["paired_n"]);
        Assert.NotEqual("NaN", pe["welch_p"]);
        // Two saline sessions of m02, but one epoch: each session is one observation, so no session term.
        Assert.Equal(Changes.MixedModels.SubjectModel, pe["lmm_model"]);
        Assert.Equal("15", pe["lmm_n_obs"]);
        Assert.True(double.IsFinite(CsvTable.Number(pe["lmm_df"])));

        // PSD clusters: the paired test on the 4 crossed subjects and the two-group test on everyone.
        var clusters = Rows(Path.Combine(dir.Path, Comparison.ClustersFile)).Where(r => r["drug"] == "ketamine" && r["region"] == "PFC").ToList();
        Assert.Contains(clusters, r => r["test"] == "paired t" && r["n_paired"] == "4" && r["permutation_method"] == "exact (8 sign flips)");
        Assert.Contains(clusters, r => r["test"] == "two-group F" && r["n_drug"] == "5" && r["n_control"] == "4");
    }

    [Fact]
    public void ClusterTestFindsTheHighGammaRangeForKetamineOnly()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path);
        var summary = Comparison.Run(dir.Path);
        var rows = Rows(summary.ClustersCsv);
        var ket = rows.Where(r => r["drug"] == "ketamine" && r["region"] == "PFC" && r["status"] == "ok" && CsvTable.Number(r["p"]) < 0.05).ToList();
        var best = Assert.Single(ket);
        Assert.InRange(CsvTable.Number(best["f_low_hz"]), 60, 70);
        Assert.InRange(CsvTable.Number(best["f_high_hz"]), 95, 105);
        Assert.True(CsvTable.Number(best["mean_difference_db"]) > 3);
        Assert.Equal("1024", best["permutations"]);
        Assert.DoesNotContain(rows, r => r["drug"] == "psilocybin" && r["status"] == "ok" && CsvTable.Number(r["p"]) < 0.01);
        // Different animals per drug: only the two-group test, with F(1, 10) at 0.95 as threshold.
        Assert.All(rows, r => Assert.Equal(("between-subject", "two-group F", "0"), (r["design"], r["test"], r["n_paired"])));
        Assert.Equal(4.964602743730711, CsvTable.Number(best["threshold"]), 8);
        Assert.Equal("1024 random relabellings", best["permutation_method"]);
    }

    [Fact]
    public void WithinSubjectClustersUseThePairedSignFlipTestOnEachSubjectsDifference()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, withinSubject: true);
        var summary = Comparison.Run(dir.Path);
        Assert.Equal(Changes.StudyDesign.WithinSubject, summary.Design);
        var rows = Rows(summary.ClustersCsv);
        Assert.All(rows, r => Assert.Equal(("within-subject", "paired t", "6"), (r["design"], r["test"], r["n_paired"])));
        var ket = rows.Where(r => r["drug"] == "ketamine" && r["region"] == "PFC" && r["status"] == "ok" && CsvTable.Number(r["p"]) < 0.05).ToList();
        var best = Assert.Single(ket);
        // Six subjects all up: the observed flip is the largest of the 2⁵ distinct ones, MNE's exact minimum p.
        Assert.Equal(1.0 / 32, CsvTable.Number(best["p"]), 12);
        Assert.Equal("exact (32 sign flips)", best["permutation_method"]);
        Assert.InRange(CsvTable.Number(best["f_low_hz"]), 60, 70);
        Assert.InRange(CsvTable.Number(best["f_high_hz"]), 95, 105);
        Assert.True(CsvTable.Number(best["cluster_statistic"]) > 0);
        Assert.Equal(2.570581835636315, CsvTable.Number(best["threshold"]), 8); // t(5) at 0.975

        // The same numbers as the test run directly on the subjects' paired spectra.
        var result = Comparison.Compute(dir.Path);
        var drug = result.Spectral.Spectra.Single(s => s is { Drug: "ketamine", Epoch: "post", Region: "PFC" });
        var control = result.Spectral.Spectra.Single(s => s is { Drug: "saline", Epoch: "post", Region: "PFC" }).Subjects.ToDictionary(s => s.Subject, s => s.Change);
        var d = drug.Subjects.SelectMany(s => s.Change.Zip(control[s.Subject], (x, y) => x - y)).ToArray();
        var direct = Statistics.ClusterPermutation.OneSample(d, 6, result.Spectral.Frequencies.Length).Clusters.MinBy(c => c.P);
        Assert.Equal(direct.Statistic, CsvTable.Number(best["cluster_statistic"]), 9);
        Assert.Equal(direct.MeanDifference, CsvTable.Number(best["mean_difference_db"]), 9);
        // Ketamine's gamma rise is in both regions; nothing else reaches p < 0.05.
        var significant = rows.Where(r => r["status"] == "ok" && CsvTable.Number(r["p"]) < 0.05).ToList();
        Assert.All(significant, r => Assert.Equal("ketamine", r["drug"]));
        Assert.Equal(["HPC", "PFC"], significant.Select(r => r["region"]).Order().ToArray());
        Assert.Equal(2, summary.Clusters);
    }

    [Fact]
    public void ReportIsWellFormedSelfContainedAndHasEveryFigure()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path);
        var summary = Comparison.Run(dir.Path);
        var html = File.ReadAllText(summary.ReportHtml);

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        var doc = XDocument.Load(reader);
        XNamespace x = "http://www.w3.org/1999/xhtml", svg = "http://www.w3.org/2000/svg";

        foreach (var e in doc.Descendants())
            foreach (var a in e.Attributes())
            {
                Assert.False(a.Name.LocalName is "src" or "href", $"external reference {a}");
                if (!a.IsNamespaceDeclaration) Assert.DoesNotContain("http", a.Value);
            }
        Assert.Empty(doc.Descendants(x + "script"));
        Assert.Empty(doc.Descendants(x + "link"));
        Assert.DoesNotContain("url(", html);

        var headings = doc.Descendants(x + "h2").Select(h => h.Value).ToList();
        foreach (var expected in new[] { "Significant findings", "PSD change", "Band power change", "Band power around", "Phase locking",
                     "Entropy", "Units: firing", "Units: spike" })
            Assert.Contains(headings, h => h.StartsWith(expected, StringComparison.Ordinal));
        // Every figure carries data: a line, bars/dots or heat cells.
        var figures = doc.Descendants(svg + "svg").ToList();
        Assert.True(figures.Count >= 2 + 2 + 3 + 3 + 2 + 2 + 2, $"{figures.Count} figures");
        foreach (var f in figures)
            Assert.True(f.Descendants().Any(e => e.Name.LocalName is "polyline" or "circle" || (e.Name.LocalName == "rect" && e.Element(svg + "title") is not null)),
                $"empty figure: {f.Element(svg + "title")?.Value}");
        var findings = doc.Descendants(x + "table").First().Value;
        Assert.Matches(@"ketamine: high_gamma power in PFC \+(3\.[7-9]|4\.[0-3]) dB", findings);
    }

    private static XDocument Report(string path)
    {
        using var reader = XmlReader.Create(new StringReader(File.ReadAllText(path)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [Fact]
    public void WithinSubjectReportUsesThePairedDesignWritesTheModelAndJoinsEachSubjectsValues()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, withinSubject: true);
        var doc = Report(Comparison.Run(dir.Path).ReportHtml);
        XNamespace x = "http://www.w3.org/1999/xhtml", svg = "http://www.w3.org/2000/svg";
        string text = doc.Root!.Value;
        Assert.Contains("Design: within-subject (6 subjects)", text);
        Assert.Contains("change ~ drug × epoch + (1 | subject)", text);
        Assert.Contains("REML", text);
        Assert.Contains("Satterthwaite", text);
        Assert.Contains("paired cluster permutation test", text);
        Assert.Contains("exact (32 sign flips)", text);

        // The findings' drug-vs-control column is the design's contrast, never Welch's t.
        var table = doc.Descendants(x + "table").First();
        var psilocybin = table.Descendants(x + "tr").Select(tr => tr.Value).Single(v => v.Contains("psilocybin: perm entropy in HPC"));
        Assert.Contains("(mixed model), q = ", psilocybin);
        Assert.DoesNotContain("Welch", table.Value);

        // Band-power panels: one line per subject and drug from the saline dot to the drug dot (6 subjects × 2 drugs × 3 bands).
        var panel = doc.Descendants(svg + "svg").First(f => f.Element(svg + "title")?.Value == "PFC, post" &&
            f.Descendants(svg + "text").Any(t => t.Value == "high gamma"));
        var lines = panel.Elements(svg + "line").Where(l => l.Element(svg + "title")?.Value.StartsWith("m0", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(6 * 2 * 3, lines.Count);
        Assert.Contains(lines, l => l.Element(svg + "title")!.Value.StartsWith("m03: saline ", StringComparison.Ordinal) && l.Element(svg + "title")!.Value.Contains("→ ketamine"));
        // Each line ends on its subject's dot.
        var dots = panel.Elements(svg + "circle").Select(c => (c.Attribute("cx")!.Value, c.Attribute("cy")!.Value)).ToHashSet();
        Assert.All(lines, l => Assert.Contains((l.Attribute("x2")!.Value, l.Attribute("y2")!.Value), dots));
        Assert.All(lines, l => Assert.Contains((l.Attribute("x1")!.Value, l.Attribute("y1")!.Value), dots));
    }

    [Fact]
    public void BetweenSubjectReportUsesIndependentGroupTestsAndDrawsNoSubjectLines()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path);
        var doc = Report(Comparison.Run(dir.Path).ReportHtml);
        XNamespace x = "http://www.w3.org/1999/xhtml", svg = "http://www.w3.org/2000/svg";
        string text = doc.Root!.Value;
        Assert.Contains("Design: between-subject (18 subjects)", text);
        Assert.Contains("Welch t and Mann–Whitney U", text);
        Assert.Contains("none fitted (one observation per subject", text);
        Assert.Contains("Two-group cluster permutation test", text);
        Assert.DoesNotContain("paired cluster permutation", text);
        var ket = doc.Descendants(x + "table").First().Descendants(x + "tr").Select(tr => tr.Value).First(v => v.Contains("ketamine: high_gamma power in PFC"));
        Assert.Contains("(Welch t), q = ", ket);
        Assert.DoesNotContain(doc.Descendants(svg + "line"), l => l.Element(svg + "title") is not null);
    }

    [Fact]
    public void OutputsAreByteIdenticalAcrossRuns()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, subjectsPerDrug: 4);
        Comparison.Run(dir.Path);
        var first = new[] { Comparison.ComparisonFile, Comparison.ClustersFile, Comparison.ReportFile }.Select(f => File.ReadAllBytes(Path.Combine(dir.Path, f))).ToList();
        Comparison.Run(dir.Path);
        var second = new[] { Comparison.ComparisonFile, Comparison.ClustersFile, Comparison.ReportFile }.Select(f => File.ReadAllBytes(Path.Combine(dir.Path, f))).ToList();
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp-*"));
    }

    [Fact]
    public void NonFiniteValuesAreCountedAndMissingTablesAreWarnings()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, subjectsPerDrug: 3, withNaN: true);
        File.Delete(Path.Combine(dir.Path, "units.csv"));
        var summary = Comparison.Run(dir.Path);
        var rows = Rows(summary.ComparisonCsv);
        var beta = rows.Single(r => r["drug"] == "psilocybin" && r["metric"] == "band_power" && r["band"] == "beta" && r["region"] == "PFC");
        Assert.Equal("1", beta["n_excluded"]);
        Assert.Equal("3", beta["n_subjects"]);
        Assert.Contains(summary.Warnings, w => w.Contains("units.csv"));
        Assert.DoesNotContain(rows, r => r["table"] == "units");
    }

    [Fact]
    public void ACorruptSpectraFileOrMalformedTableCostsOnlyItsOwnOutcomes()
    {
        using var dir = Fixtures.TempDir();
        SyntheticStudy.Write(dir.Path, subjectsPerDrug: 3);
        File.WriteAllText(Path.Combine(dir.Path, "spectra.h5"), "not an HDF5 file");
        File.WriteAllText(Path.Combine(dir.Path, "pairs.csv"), "session,subject,drug\ns1,m1,saline\n");
        var summary = Comparison.Run(dir.Path);
        Assert.Contains(summary.Warnings, w => w.Contains("spectra.h5"));
        Assert.Contains(summary.Warnings, w => w.StartsWith("pairs.csv left out", StringComparison.Ordinal));
        var rows = Rows(summary.ComparisonCsv);
        Assert.Contains(rows, r => r["metric"] == "band_power");
        Assert.Empty(Rows(summary.ClustersCsv)); // header only: nothing to cluster without spectra
        Assert.Contains("spectra.h5", File.ReadAllText(summary.ReportHtml));
    }

    [Fact]
    public void AMissingFolderIsAnInputError()
    {
        Assert.Throws<Core.EphysInputException>(() => Comparison.Run("/nonexistent/study-output"));
    }
}
