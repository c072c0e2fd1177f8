using System.Globalization;

namespace EphysPipeline.Study.Manifest;

/// <summary>Where a state's intervals come from.</summary>
public enum StateSourceKind
{
    /// <summary>Rows of an NWB /intervals table, by tag or by a column's value.</summary>
    Intervals,

    /// <summary>A behavioural series (speed, or position turned into speed) with a threshold.</summary>
    Series,

    /// <summary>The ratio of two band powers of the LFP per window, with a threshold.</summary>
    LfpRatio,
}

/// <summary>
/// A behavioural or brain state of the manifest's <c>states:</c> block (docs/study.md): a set of time intervals per
/// session over which every metric is computed again, beside the unstratified ("all") value.
/// </summary>
public sealed record StateDefinition(string Name, StateSourceKind Kind)
{
    /// <summary>The name of the unstratified value in the tables' state column.</summary>
    public const string All = "all";

    public string? Table { get; init; }
    public string? Tag { get; init; }
    public string? Column { get; init; }
    public string? Value { get; init; }

    /// <summary>Event-locked windows: [from, to) s relative to each selected row's start_time instead of the rows themselves.</summary>
    public double[]? AroundS { get; init; }

    public string? Series { get; init; }

    /// <summary>"speed" (|d position / dt|, the default for a SpatialSeries or a multi-column series) or "value".</summary>
    public string? Quantity { get; init; }

    public double[]? NumeratorHz { get; init; }
    public double[]? DenominatorHz { get; init; }
    public string? Region { get; init; }
    public double WindowS { get; init; } = 2;

    public double? Above { get; init; }
    public double? Below { get; init; }
    public double Hysteresis { get; init; }
    public double MinBoutS { get; init; }
    public double SmoothS { get; init; }

    /// <summary>Least clean time in the state for an epoch's value; less gives NaN with the reason.</summary>
    public double MinTimeS { get; init; } = 10;

    /// <summary>One line for messages and the report: "running_speed > 3 (hysteresis 1) for ≥ 1 s".</summary>
    public string Describe()
    {
        string threshold = Above is { } a ? $"> {N(a)}" : $"< {N(Below ?? double.NaN)}";
        string extras = (Hysteresis > 0 ? $" (hysteresis {N(Hysteresis)})" : "") + (SmoothS > 0 ? $", smoothed over {N(SmoothS)} s" : "")
            + (MinBoutS > 0 ? $" for ≥ {N(MinBoutS)} s" : "");
        return Kind switch
        {
            StateSourceKind.Intervals => (AroundS is { } w ? $"[{N(w[0])}, {N(w[1])}) s around the starts of rows" : "rows") + $" of /intervals/{Table}"
                + (Tag is not null ? $" tagged '{Tag}'" : Column is not null ? $" where {Column} = '{Value}'" : ""),
            StateSourceKind.Series => $"{(Quantity == "speed" ? "speed of " : "")}{Series} {threshold}{extras}",
            _ => $"LFP {N(NumeratorHz![0])}–{N(NumeratorHz[1])} Hz / {N(DenominatorHz![0])}–{N(DenominatorHz[1])} Hz power ratio"
                 + (Region is not null ? $" in {Region}" : "") + $" per {N(WindowS)} s window {threshold}{extras}",
        };

        static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
