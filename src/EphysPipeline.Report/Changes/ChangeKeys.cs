namespace EphysPipeline.Report.Changes;

/// <summary>
/// One outcome of the comparison: a table's metric in a band and a region (or region pair), over the whole epoch
/// (<see cref="State"/> "all") or over the time in one behavioural state.
/// </summary>
public readonly record struct Outcome(string Table, string Metric, string Band, string Region, string Unit)
{
    public string State { get; init; } = Study.Outputs.StateNames.All;

    public bool Pooled => State == Study.Outputs.StateNames.All;
}

/// <summary>A drug's subject-level changes for one epoch and outcome.</summary>
public readonly record struct GroupKey(string Drug, string Epoch, Outcome Outcome);

/// <summary>A subject's change (mean over its channels/pairs/units of the region, then over its sessions of the drug).</summary>
public readonly record struct SubjectValue(string Subject, double Value);

/// <summary>A session's change for one group (mean over its channels/pairs/units of the region).</summary>
public readonly record struct SessionValue(string Session, string Subject, GroupKey Key, double Value);
