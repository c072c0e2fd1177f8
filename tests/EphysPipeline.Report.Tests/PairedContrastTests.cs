using System.Text.Json;
using EphysPipeline.Report.Changes;
using EphysPipeline.Report.Statistics;
using EphysPipeline.TestSupport;
using Xunit;

namespace EphysPipeline.Report.Tests;

/// <summary>Within-subject contrasts against scipy 1.10.1 (tests/fixtures/stats/make_paired_expected.py) and design detection.</summary>
public class PairedContrastTests
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("stats/paired_expected.json"))).RootElement;

    private static void Close(double expected, double actual, double tol, string what)
    {
        double err = Math.Abs(expected - actual);
        Assert.True(err <= tol * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R} (|err| {err:E2})");
    }

    private static List<SubjectValue> Subjects(double[] v) => v.Select((x, i) => new SubjectValue($"m{i}", x)).ToList();

    [Fact]
    public void PairedTWilcoxonAndSignFlipMatchScipy()
    {
        foreach (var c in Root.GetProperty("paired").EnumerateArray())
        {
            var x = c.GetProperty("x").Doubles();
            var y = c.GetProperty("y").Doubles();
            // Control listed in another order: pairing is by subject, not by position.
            var control = Subjects(y);
            control.Reverse();
            var p = PairedContrast.Compute(Subjects(x), control);
            Assert.Equal(x.Length, p.N);
            Close(c.GetProperty("mean_difference").GetDouble(), p.MeanDifference, 1e-12, "mean d");
            Close(c.GetProperty("t").GetDouble(), p.T.Statistic, 1e-10, $"t n={x.Length}");
            Close(c.GetProperty("t_p").GetDouble(), p.T.P, 1e-10, $"t p n={x.Length}");
            Close(c.GetProperty("w").GetDouble(), p.Wilcoxon.Statistic, 1e-10, $"W n={x.Length}");
            Close(c.GetProperty("w_p").GetDouble(), p.Wilcoxon.P, 1e-10, $"W p n={x.Length} ({p.Wilcoxon.Method})");
            Close(c.GetProperty("signflip_p").GetDouble(), p.SignFlip.P, 1e-12, $"sign flip p n={x.Length}");
            Assert.StartsWith("exact", p.SignFlip.Method);
        }
    }

    [Fact]
    public void SubjectsWithoutAControlValueAreLeftOutOfThePairs()
    {
        var drug = Subjects([1.0, 2.0, 3.0, 4.0]);
        var control = new List<SubjectValue> { new("m0", 0.5), new("m2", 1.0), new("m3", 1.0) };
        var p = PairedContrast.Compute(drug, control);
        Assert.Equal(3, p.N);
        Assert.Equal((0.5 + 2.0 + 3.0) / 3, p.MeanDifference, 14);
        Assert.Equal("no subject with both drug and control values", PairedContrast.Compute(drug, [new("z", 1)]).T.Method);
    }

    [Fact]
    public void LargeSamplesUseSeededRandomFlipsNearTheExactAnswer()
    {
        var rng = new Random(4);
        var d = Enumerable.Range(0, 40).Select(_ => rng.NextDouble() - 0.3).ToArray();
        var a = SignFlip.Test(d);
        Assert.Equal(a, SignFlip.Test(d));
        Assert.Equal($"{SignFlip.RandomFlips} random sign flips", a.Method);
        // The paired t is a close approximation of the permutation p for n = 40.
        Assert.InRange(a.P, TTests.OneSample(d).P * 0.7, TTests.OneSample(d).P * 1.3 + 0.002);
    }

    [Fact]
    public void HedgesGAvUsesTheMeanOfTheTwoSdsAndTheNMinusOneCorrection()
    {
        double[] x = [1, 2, 3, 5], y = [0, 1, 1, 2];
        double sdX = Math.Sqrt(x.Select(v => (v - 2.75) * (v - 2.75)).Sum() / 3), sdY = Math.Sqrt(y.Select(v => (v - 1) * (v - 1)).Sum() / 3);
        Assert.Equal((1 - 3.0 / 11) * 1.75 / ((sdX + sdY) / 2), Descriptive.HedgesGAv(x, y), 12);
    }

    [Fact]
    public void DesignIsDetectedFromWhichSubjectsHaveWhichDrugs()
    {
        SessionLabel S(string subject, string drug) => new($"{subject}_{drug}", subject, drug);
        Assert.Equal(StudyDesign.WithinSubject, StudyDesigns.Detect([S("a", "saline"), S("a", "ket"), S("b", "saline"), S("b", "ket")], "saline"));
        Assert.Equal(StudyDesign.BetweenSubject, StudyDesigns.Detect([S("a", "saline"), S("b", "ket"), S("c", "psi")], "saline"));
        Assert.Equal(StudyDesign.Mixed, StudyDesigns.Detect([S("a", "saline"), S("a", "ket"), S("b", "ket")], "saline"));
        Assert.Equal(StudyDesign.NoContrast, StudyDesigns.Detect([S("a", "ket"), S("b", "ket")], "saline"));
        Assert.Equal("within-subject", StudyDesign.WithinSubject.Name());
    }
}
