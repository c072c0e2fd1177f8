using EphysPipeline.Report.Statistics;

namespace EphysPipeline.Report.Changes;

/// <summary>
/// Drug vs control within subjects: per subject with both values, d = drug change − control change (subject order of
/// the drug group); paired t and Wilcoxon on d, the sign-flip permutation of mean(d), and Hedges' g_av.
/// </summary>
public sealed record PairedContrast(int N, double MeanDifference, TestResult T, TestResult Wilcoxon, TestResult SignFlip, double HedgesGAv)
{
    public static PairedContrast NotComputable(string reason) =>
        new(0, double.NaN, TestResult.NotComputable(reason), TestResult.NotComputable(reason), TestResult.NotComputable(reason), double.NaN);

    public static PairedContrast Compute(IReadOnlyList<SubjectValue> drug, IReadOnlyList<SubjectValue> control)
    {
        var controlBySubject = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var c in control) controlBySubject[c.Subject] = c.Value;
        var x = new List<double>();
        var y = new List<double>();
        foreach (var s in drug)
            if (controlBySubject.TryGetValue(s.Subject, out var c)) { x.Add(s.Value); y.Add(c); }
        if (x.Count == 0) return NotComputable("no subject with both drug and control values");
        var d = x.Zip(y, (a, b) => a - b).ToArray();
        var t = TTests.OneSample(d);
        return new PairedContrast(d.Length, Descriptive.Mean(d), t with { Method = double.IsNaN(t.P) ? t.Method : "paired t" },
            WilcoxonSignedRank.Test(d), Statistics.SignFlip.Test(d), Descriptive.HedgesGAv(x.ToArray(), y.ToArray()));
    }
}

/// <summary>One row of comparison.csv: a drug's change in one epoch and outcome, within-drug and against the control.</summary>
public sealed record GroupStatistic(
    GroupKey Key,
    StudyDesign Design,
    IReadOnlyList<SubjectValue> Subjects,
    int Excluded,
    double Mean,
    double Sem,
    double CiLow,
    double CiHigh,
    double HedgesG,
    TestResult T,
    TestResult Wilcoxon,
    int ControlN,
    double ControlMean,
    double HedgesGVsControl,
    TestResult Welch,
    TestResult MannWhitney,
    PairedContrast Paired,
    string Status)
{
    public double TQ { get; set; } = double.NaN;
    public double WilcoxonQ { get; set; } = double.NaN;
    public double WelchQ { get; set; } = double.NaN;
    public double MannWhitneyQ { get; set; } = double.NaN;
    public double PairedTQ { get; set; } = double.NaN;
    public double PairedWilcoxonQ { get; set; } = double.NaN;
    public double SignFlipQ { get; set; } = double.NaN;
    public double MixedQ { get; set; } = double.NaN;
    public MixedModelRow Mixed { get; set; } = MixedModelRow.NotFitted("", 0, "not fitted");

    /// <summary>State rows only: the drug × state model (contrast in this state and the interaction).</summary>
    public MixedModelRow StateModel { get; set; } = MixedModelRow.NotFitted("", 0, "");

    public double InteractionQ { get; set; } = double.NaN;

    public double[] Values => Subjects.Select(s => s.Value).ToArray();

    public static GroupStatistic Compute(GroupKey key, StudyDesign design, IReadOnlyList<SubjectValue> subjects, int excluded,
        IReadOnlyList<SubjectValue>? control, bool isControl)
    {
        var x = subjects.Select(s => s.Value).ToArray();
        var (mean, variance) = Descriptive.MeanVariance(x);
        var (low, high) = Bootstrap.MeanInterval(x);
        string status = x.Length switch
        {
            0 => "no subject with a finite change",
            1 => "one subject: no spread or test",
            _ => "ok",
        };
        var y = control?.Select(s => s.Value).ToArray() ?? [];
        TestResult welch, mwu;
        var paired = PairedContrast.NotComputable("between-subject design");
        double gVs = double.NaN;
        if (isControl)
        {
            welch = mwu = TestResult.NotComputable("control group");
            paired = PairedContrast.NotComputable("control group");
        }
        else if (y.Length == 0)
        {
            welch = mwu = TestResult.NotComputable("no control subjects");
            paired = PairedContrast.NotComputable("no control subjects");
            if (status == "ok") status = "no control subjects for this outcome";
        }
        else
        {
            if (design.HasIndependentGroups())
            {
                welch = TTests.Welch(x, y);
                mwu = x.Length > 0 ? MannWhitneyU.Test(x, y) : TestResult.NotComputable("an empty group");
                gVs = Descriptive.HedgesGTwoSample(x, y);
            }
            else welch = mwu = TestResult.NotComputable("within-subject design: see the paired columns");
            if (design.HasPairs()) paired = PairedContrast.Compute(subjects, control!);
        }
        return new GroupStatistic(key, design, subjects, excluded, mean, x.Length >= 2 ? Math.Sqrt(variance / x.Length) : double.NaN,
            low, high, Descriptive.HedgesGOneSample(x), TTests.OneSample(x),
            x.Length > 0 ? WilcoxonSignedRank.Test(x) : TestResult.NotComputable("no values"),
            y.Length, y.Length > 0 ? Descriptive.Mean(y) : double.NaN, gVs, welch, mwu, paired, status);
    }

    /// <summary>
    /// Benjamini–Hochberg within each test's family: all drugs × epochs × outcomes of that test, the pooled ("all")
    /// rows and each state's rows as families of their own (adding states leaves the pooled q values as they were).
    /// </summary>
    public static void AssignQValues(IReadOnlyList<GroupStatistic> all)
    {
        foreach (var family in all.GroupBy(r => r.Key.Outcome.State)) AssignFamily(family.ToList());
    }

    private static void AssignFamily(IReadOnlyList<GroupStatistic> rows)
    {
        var t = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.T.P).ToArray());
        var w = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Wilcoxon.P).ToArray());
        var welch = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Welch.P).ToArray());
        var u = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.MannWhitney.P).ToArray());
        var pt = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Paired.T.P).ToArray());
        var pw = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Paired.Wilcoxon.P).ToArray());
        var sf = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Paired.SignFlip.P).ToArray());
        var mm = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.Mixed.Usable ? r.Mixed.Contrast.P : double.NaN).ToArray());
        var ix = FalseDiscovery.BenjaminiHochberg(rows.Select(r => r.StateModel.Usable ? r.StateModel.Interaction.P : double.NaN).ToArray());
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].TQ = t[i];
            rows[i].WilcoxonQ = w[i];
            rows[i].WelchQ = welch[i];
            rows[i].MannWhitneyQ = u[i];
            rows[i].PairedTQ = pt[i];
            rows[i].PairedWilcoxonQ = pw[i];
            rows[i].SignFlipQ = sf[i];
            rows[i].MixedQ = mm[i];
            rows[i].InteractionQ = ix[i];
        }
    }
}
