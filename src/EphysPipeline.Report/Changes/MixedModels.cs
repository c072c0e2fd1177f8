using EphysPipeline.Report.Statistics;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Report.Changes;

/// <summary>The mixed model's drug-vs-control contrast for one comparison.csv row, with the fit it came from.</summary>
public sealed record MixedModelRow(string Model, int Observations, MixedModelContrast Contrast,
    double SdSubject, double SdSession, double SdResidual, string Status)
{
    public static readonly MixedModelContrast Missing = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// In the drug × state model only: (drug − control in this row's state) − (drug − control in <see cref="InteractionBase"/>),
    /// the interaction contrast; NaN for the first state (the reference) and in the drug × epoch model.
    /// </summary>
    public MixedModelContrast Interaction { get; init; } = Missing;

    /// <summary>The state the interaction is measured against (the first state of the manifest).</summary>
    public string InteractionBase { get; init; } = "";

    public static MixedModelRow NotFitted(string model, int observations, string reason) =>
        new(model, observations, Missing, double.NaN, double.NaN, double.NaN, reason);

    /// <summary>A converged fit (singular included) with a finite test: usable as the design's contrast.</summary>
    public bool Usable => double.IsFinite(Contrast.P) && !Status.StartsWith("did not converge", StringComparison.Ordinal);
}

/// <summary>
/// Per outcome, <c>change ~ drug × epoch + (1 | subject)</c> on session-level changes (one observation per session and
/// epoch), with <c>(1 | subject/session)</c> when a subject has several sessions of one drug; REML, Satterthwaite df.
/// Each drug's row gets the contrast drug − control in its epoch.
/// </summary>
public static class MixedModels
{
    public const string SubjectModel = "change ~ drug * epoch + (1 | subject)";
    public const string NestedModel = "change ~ drug * epoch + (1 | subject/session)";
    public const string StateModel = "change ~ drug * state + (1 | subject)";
    public const string NestedStateModel = "change ~ drug * state + (1 | subject/session)";

    public static Dictionary<GroupKey, MixedModelRow> Fit(IReadOnlyList<SessionValue> values, string control,
        IReadOnlyList<string> drugs, IReadOnlyList<string> epochs) => Fit(values, control, drugs, epochs, byState: false);

    /// <summary>
    /// The drug × state model per outcome and epoch: <c>change ~ drug × state + (1 | subject)</c> on the session-level
    /// changes of every state (not the pooled "all"); keyed by the state rows (drug, epoch, outcome in that state), each
    /// with drug − control in its state and the interaction against the first state.
    /// </summary>
    public static Dictionary<GroupKey, MixedModelRow> FitStates(IReadOnlyList<SessionValue> values, string control,
        IReadOnlyList<string> drugs, IReadOnlyList<string> epochs, IReadOnlyList<string> states)
    {
        var result = new Dictionary<GroupKey, MixedModelRow>();
        foreach (var epoch in epochs)
        {
            // The state takes the epoch's place as the second factor; the outcome key drops the state so one model spans them.
            var recoded = values.Where(v => v.Key.Epoch == epoch && !v.Key.Outcome.Pooled)
                .Select(v => v with { Key = new GroupKey(v.Key.Drug, v.Key.Outcome.State, v.Key.Outcome with { State = StateNames.All }) }).ToList();
            foreach (var (key, row) in Fit(recoded, control, drugs, states, byState: true))
                result[new GroupKey(key.Drug, epoch, key.Outcome with { State = key.Epoch })] = row;
        }
        return result;
    }

    private static Dictionary<GroupKey, MixedModelRow> Fit(IReadOnlyList<SessionValue> values, string control,
        IReadOnlyList<string> drugs, IReadOnlyList<string> epochs, bool byState)
    {
        var result = new Dictionary<GroupKey, MixedModelRow>();
        var byOutcome = new Dictionary<Outcome, List<SessionValue>>();
        var outcomes = new List<Outcome>();
        foreach (var v in values)
        {
            if (!byOutcome.TryGetValue(v.Key.Outcome, out var list)) { byOutcome[v.Key.Outcome] = list = []; outcomes.Add(v.Key.Outcome); }
            list.Add(v);
        }
        foreach (var outcome in outcomes) FitOutcome(outcome, byOutcome[outcome], control, drugs, epochs, byState, result);
        return result;
    }

    private static void FitOutcome(Outcome outcome, List<SessionValue> obs, string control, IReadOnlyList<string> drugs,
        IReadOnlyList<string> epochs, bool byState, Dictionary<GroupKey, MixedModelRow> into)
    {
        var drugLevels = drugs.Where(d => obs.Any(o => o.Key.Drug == d)).OrderBy(d => d == control ? 0 : 1).ToList();
        var epochLevels = epochs.Where(e => obs.Any(o => o.Key.Epoch == e)).ToList();
        var rows = drugLevels.Where(d => d != control)
            .SelectMany(d => epochLevels.Select(e => new GroupKey(d, e, outcome))).ToList();
        bool nested = obs.GroupBy(o => (o.Subject, o.Key.Drug)).Any(g => g.Select(o => o.Session).Distinct().Count() > 1);
        var subjects = Levels(obs.Select(o => o.Subject));
        var sessions = Levels(obs.Select(o => o.Subject + "\u0000" + o.Session));
        int n = obs.Count;
        if (nested && sessions.Max() + 1 >= n) nested = false;
        string model = byState ? (nested ? NestedStateModel : StateModel) : nested ? NestedModel : SubjectModel;

        void All(string reason) { foreach (var k in rows) into[k] = MixedModelRow.NotFitted(model, n, reason); }
        if (!drugLevels.Contains(control)) { All("no control observations"); return; }
        int subjectCount = subjects.Max() + 1;
        if (subjectCount < 2) { All("fewer than 2 subjects"); return; }
        if (subjectCount >= n) { All("one observation per subject: the subject intercept is not identifiable"); return; }

        var design = new DrugEpochDesign(drugLevels, epochLevels,
            obs.Select(o => drugLevels.IndexOf(o.Key.Drug)).ToArray(), obs.Select(o => epochLevels.IndexOf(o.Key.Epoch)).ToArray());
        if (n - design.ColumnNames.Count < 1) { All("too few observations for the fixed effects"); return; }
        LinearMixedModel fit;
        try { fit = LinearMixedModel.Fit(design.X, obs.Select(o => o.Value).ToArray(), subjects, nested ? sessions : null); }
        catch (ArgumentException e) { All($"did not converge: {e.Message}"); return; }

        double sdSubject = fit.Theta[0] * fit.Sigma, sdSession = nested ? fit.Theta[1] * fit.Sigma : double.NaN;
        foreach (var key in rows)
        {
            int d = drugLevels.IndexOf(key.Drug), e = epochLevels.IndexOf(key.Epoch);
            var l = design.VersusReference(d, e);
            if (l is null)
            {
                into[key] = MixedModelRow.NotFitted(model, n, $"no observations of this drug or of the control in this {(byState ? "state" : "epoch")}");
                continue;
            }
            var row = new MixedModelRow(model, n, fit.Contrast(l), sdSubject, sdSession, fit.Sigma, fit.Status);
            if (byState && e > 0 && design.VersusReference(d, 0) is { } first)
                row = row with { Interaction = fit.Contrast(l.Zip(first, (a, b) => a - b).ToArray()), InteractionBase = epochLevels[0] };
            into[key] = row;
        }
    }

    private static int[] Levels(IEnumerable<string> values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        return values.Select(v => index.TryGetValue(v, out var i) ? i : index[v] = index.Count).ToArray();
    }
}
