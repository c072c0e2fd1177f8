namespace EphysPipeline.Study.Outputs;

/// <summary>Who a row belongs to: the session columns every table starts with.</summary>
public sealed record SessionKey(string Session, string Subject, string Drug, double DoseMgKg)
{
    /// <summary>The study has sessions of several probes: the tables carry probe columns.</summary>
    public bool ProbeColumns { get; init; }

    /// <summary>Each electrode id's probe (sessions of several probes).</summary>
    public IReadOnlyDictionary<long, string>? ProbeOf { get; init; }
}

/// <summary>One value of metrics.csv (per session, epoch, channel, metric, band).</summary>
public sealed record MetricRow(string Epoch, long Channel, string Region, string Metric, string Band, double Value, int Windows, string Status)
{
    /// <summary>The behavioural state the value was computed in (docs/study.md), "all" for the whole epoch.</summary>
    public string State { get; init; } = StateNames.All;
}

/// <summary>One value of pairs.csv (a channel-pair measure in a band and epoch). A struct: 384 channels give millions.</summary>
public readonly record struct PairRow(string Epoch, string Band, string Measure, long ChannelA, long ChannelB, string RegionA, string RegionB, double Value)
{
    public PairRow() : this("", "", "", 0, 0, "", "", 0) { }

    public string State { get; init; } = StateNames.All;
}

/// <summary>One row of units.csv (spike–field locking of a unit in a band and epoch).</summary>
public sealed record UnitRow(
    string Epoch, long Unit, long Channel, string Region, string Band, int Spikes, double FiringRateHz,
    double Plv, double Ppc, double RayleighZ, double RayleighP, double PreferredPhaseRad, string Status)
{
    public string State { get; init; } = StateNames.All;
}

/// <summary>Per-epoch bookkeeping of a session: how much was analysed.</summary>
public sealed record EpochSummary(string Epoch, double StartS, double EndS, double RejectedFraction)
{
    /// <summary>Seconds of the epoch in each state of the manifest (by state name).</summary>
    public IReadOnlyDictionary<string, double> StateSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>The session-level line of sessions.csv.</summary>
public sealed record SessionSummary(
    string Status, string Stage, string Reason, double DurationS, double SampleRateHz, int Channels, int GoodChannels,
    IReadOnlyList<long> BadChannels, IReadOnlyList<EpochSummary> Epochs)
{
    /// <summary>The manifest's state names: sessions.csv has a time_&lt;state&gt;_s column for each.</summary>
    public IReadOnlyList<string> States { get; init; } = [];
}

/// <summary>The state column's values.</summary>
public static class StateNames
{
    /// <summary>The unstratified value: the whole epoch.</summary>
    public const string All = "all";

    /// <summary>sessions.csv's column for a state's time.</summary>
    public static string TimeColumn(string state) => $"time_{state}_s";
}
