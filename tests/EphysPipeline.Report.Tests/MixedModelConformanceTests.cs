using System.Text.Json;
using EphysPipeline.Report.Changes;
using EphysPipeline.Report.Statistics;
using EphysPipeline.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace EphysPipeline.Report.Tests;

/// <summary>
/// The REML mixed model against R lme4 1.1-31 / lmerTest 3.1-3 (tests/fixtures/stats/make_lmm_expected.R): fixed
/// effects and SEs ≤ 1e-6 relative, Satterthwaite df ≤ 1e-4 relative, p ≤ 1e-6 absolute; and on the same data against
/// statsmodels 0.13.5 MixedLM (make_lmm_statsmodels_expected.py): fixed effects and SEs ≤ 1e-6 relative.
/// </summary>
public class MixedModelConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("stats/lmm_expected.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    private static int[] Levels(string[] values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        return values.Select(v => index.TryGetValue(v, out var i) ? i : index[v] = index.Count).ToArray();
    }

    internal static (LinearMixedModel Model, DrugEpochDesign Design) FitCase(JsonElement c)
    {
        var data = c.GetProperty("data");
        var drugs = Strings(c.GetProperty("drug_levels"));
        var epochs = Strings(c.GetProperty("epoch_levels"));
        var drug = Strings(data.GetProperty("drug")).Select(d => Array.IndexOf(drugs, d)).ToArray();
        var epoch = Strings(data.GetProperty("epoch")).Select(e => Array.IndexOf(epochs, e)).ToArray();
        var design = new DrugEpochDesign(drugs, epochs, drug, epoch);
        var subject = Levels(Strings(data.GetProperty("subject")));
        int[]? session = c.GetProperty("nested").GetBoolean() ? Levels(Strings(data.GetProperty("session"))) : null;
        return (LinearMixedModel.Fit(design.X, data.GetProperty("y").Doubles(), subject, session), design);
    }

    private static double Rel(double expected, double actual) => Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-300);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FixedEffectsSatterthwaiteAndContrastsMatchLmerTest(string name)
    {
        var c = Root.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var (m, design) = FitCase(c);
        Assert.Equal(Strings(c.GetProperty("fixef_names")), design.ColumnNames);
        Assert.Equal(c.GetProperty("singular").GetBoolean(), m.Singular);
        Assert.Equal(m.Singular ? "boundary (singular) fit" : "ok", m.Status);
        Assert.True(Math.Abs(c.GetProperty("reml").GetDouble() - m.RemlCriterion) < 1e-8, $"REML {m.RemlCriterion:R}");
        Assert.True(Rel(c.GetProperty("sigma").GetDouble(), m.Sigma) < 1e-6, $"sigma {m.Sigma:R}");
        // R orders the terms session:subject, subject; the model subject, session.
        var theta = c.GetProperty("theta").ValueKind == JsonValueKind.Array ? c.GetProperty("theta").Doubles() : [c.GetProperty("theta").GetDouble()];
        var expectedTheta = theta.Reverse().ToArray();
        for (int k = 0; k < theta.Length; k++) Assert.True(Math.Abs(expectedTheta[k] - m.Theta[k]) < 1e-6 * Math.Max(1, expectedTheta[k]), $"theta[{k}] {m.Theta[k]:R}");

        var fixef = c.GetProperty("fixef").Doubles();
        var se = c.GetProperty("se").Doubles();
        var df = c.GetProperty("df").Doubles();
        var p = c.GetProperty("p").Doubles();
        double worstB = 0, worstSe = 0, worstDf = 0, worstP = 0;
        for (int j = 0; j < fixef.Length; j++)
        {
            var l = new double[fixef.Length];
            l[j] = 1;
            var r = m.Contrast(l);
            worstB = Math.Max(worstB, Rel(fixef[j], r.Estimate));
            worstSe = Math.Max(worstSe, Rel(se[j], r.Se));
            worstDf = Math.Max(worstDf, Rel(df[j], r.Df));
            worstP = Math.Max(worstP, Math.Abs(p[j] - r.P));
        }
        double worstCi = 0;
        int contrasts = 0;
        foreach (var k in c.GetProperty("contrasts").EnumerateArray())
        {
            int d = Array.IndexOf(Strings(c.GetProperty("drug_levels")), k.GetProperty("drug").GetString());
            int e = Array.IndexOf(Strings(c.GetProperty("epoch_levels")), k.GetProperty("epoch").GetString());
            var l = design.VersusReference(d, e);
            Assert.NotNull(l);
            Assert.Equal(k.GetProperty("L").Doubles(), l);
            var r = m.Contrast(l);
            worstB = Math.Max(worstB, Rel(k.GetProperty("estimate").GetDouble(), r.Estimate));
            worstSe = Math.Max(worstSe, Rel(k.GetProperty("se").GetDouble(), r.Se));
            worstDf = Math.Max(worstDf, Rel(k.GetProperty("df").GetDouble(), r.Df));
            worstP = Math.Max(worstP, Math.Abs(k.GetProperty("p").GetDouble() - r.P));
            worstCi = Math.Max(worstCi, Math.Max(Rel(k.GetProperty("lower").GetDouble(), r.Low), Rel(k.GetProperty("upper").GetDouble(), r.High)));
            contrasts++;
        }
        output.WriteLine($"{name}: max rel err estimate {worstB:E2}, SE {worstSe:E2}, df {worstDf:E2}, CI {worstCi:E2}; max abs err p {worstP:E2}; {contrasts} contrasts");
        Assert.True(worstB <= 1e-6, $"estimate {worstB:E2}");
        Assert.True(worstSe <= 1e-6, $"SE {worstSe:E2}");
        Assert.True(worstDf <= 1e-4, $"df {worstDf:E2}");
        Assert.True(worstP <= 1e-6, $"p {worstP:E2}");
        Assert.True(worstCi <= 1e-6, $"CI {worstCi:E2}");
    }

    private static readonly JsonElement Statsmodels =
        JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("stats/lmm_statsmodels_expected.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void FixedEffectsStandardErrorsAndVariancesMatchStatsmodelsMixedLM(string name)
    {
        var c = Root.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var s = Statsmodels.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var (m, design) = FitCase(c);
        Assert.Equal(Strings(s.GetProperty("fixef_names")), design.ColumnNames);
        var fixef = s.GetProperty("fixef").Doubles();
        var se = s.GetProperty("se").Doubles();
        var bse = s.GetProperty("bse_fe").Doubles();
        bool bseConditional = s.GetProperty("bse_fe_is_conditional").GetBoolean();
        double worstB = 0, worstSe = 0;
        for (int j = 0; j < fixef.Length; j++)
        {
            var l = new double[fixef.Length];
            l[j] = 1;
            var r = m.Contrast(l);
            worstB = Math.Max(worstB, Rel(fixef[j], r.Estimate));
            worstSe = Math.Max(worstSe, Rel(se[j], r.Se));
            // Where the fixed and variance parameters are orthogonal, statsmodels' own SE is the same quantity.
            if (bseConditional) worstSe = Math.Max(worstSe, Rel(bse[j], r.Se));
        }
        double varSubject = Math.Pow(m.Theta[0] * m.Sigma, 2);
        double expectedSubject = s.GetProperty("var_subject").GetDouble();
        output.WriteLine($"{name} ({s.GetProperty("optimizer").GetString()}): max rel err fixef {worstB:E2}, SE {worstSe:E2}; subject variance {expectedSubject:R} vs {varSubject:R}");
        Assert.True(worstB <= 1e-6, $"fixef {worstB:E2}");
        Assert.True(worstSe <= 1e-6, $"SE {worstSe:E2}");
        // Variances are where an optimiser stops: statsmodels' is within 1e-6 of the optimum (lme4 with tight tolerances).
        Assert.True(Math.Abs(expectedSubject - varSubject) <= 1e-6 * Math.Max(expectedSubject, m.Sigma * m.Sigma), $"subject variance {varSubject:R}");
        Assert.True(Rel(s.GetProperty("scale").GetDouble(), m.Sigma * m.Sigma) <= 1e-6, $"scale {m.Sigma * m.Sigma:R}");
        if (s.GetProperty("nested").GetBoolean())
            Assert.True(Rel(s.GetProperty("var_session").GetDouble(), Math.Pow(m.Theta[1] * m.Sigma, 2)) <= 1e-6, "session variance");
        Assert.True(Math.Abs(s.GetProperty("reml_criterion").GetDouble() - m.RemlCriterion) <= 1e-8, $"REML criterion {m.RemlCriterion:R}");
    }

    [Fact]
    public void AnEmptyCellHasNoContrast()
    {
        var c = Root.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == "missing_cell");
        var (_, design) = FitCase(c);
        Assert.Null(design.VersusReference(2, 1)); // psilocybin, late: no observations
        Assert.NotNull(design.VersusReference(2, 0));
    }
}
