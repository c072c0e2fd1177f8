namespace EphysPipeline.Study.Manifest;

// The YAML shape of a study manifest (schema 1); see docs/study.md. Property names map to snake_case keys.
internal sealed class ManifestDocument
{
    public int Schema { get; set; } = 1;
    public string? Study { get; set; }
    public string? Output { get; set; }
    public string? Analysis { get; set; }
    public string? Control { get; set; }
    public string? ReferenceEpoch { get; set; }
    public Dictionary<string, List<double>>? Epochs { get; set; }
    public List<SessionDocument>? Sessions { get; set; }
    public string? SessionsCsv { get; set; }
    public Dictionary<string, StateDocument?>? States { get; set; }
    public Dictionary<string, List<string>?>? RegionGroups { get; set; }
    public ChannelsPerRegionDocument? ChannelsPerRegion { get; set; }
    public UnitsDocument? Units { get; set; }
}

internal sealed class UnitsDocument
{
    public Dictionary<string, string?>? Equal { get; set; }
    public Dictionary<string, string?>? Min { get; set; }
    public Dictionary<string, string?>? Max { get; set; }
}

internal sealed class ChannelsPerRegionDocument
{
    public int? Step { get; set; }
    public int? Max { get; set; }
}

internal sealed class SessionDocument
{
    public string? Id { get; set; }
    public string? File { get; set; }
    public string? Subject { get; set; }
    public string? Drug { get; set; }
    public double? DoseMgKg { get; set; }
    public double? InjectionS { get; set; }
    public string? InjectionTag { get; set; }
    public string? InjectionTable { get; set; }
    public string? Series { get; set; }
    public List<long>? Channels { get; set; }
    public Dictionary<long, string>? Regions { get; set; }
    public List<long>? BadChannels { get; set; }
    public string? Layout { get; set; }
    public List<ProbeDocument>? Probes { get; set; }
}

internal sealed class ProbeDocument
{
    public string? Name { get; set; }
    public string? File { get; set; }
    public string? Series { get; set; }
}

internal sealed class StateDocument
{
    public string? Intervals { get; set; }
    public string? Tag { get; set; }
    public string? Column { get; set; }
    public string? Value { get; set; }
    public List<double>? Around { get; set; }
    public string? Series { get; set; }
    public string? Quantity { get; set; }
    public LfpRatioDocument? LfpRatio { get; set; }
    public double? Above { get; set; }
    public double? Below { get; set; }
    public double? Hysteresis { get; set; }
    public double? MinBoutS { get; set; }
    public double? SmoothS { get; set; }
    public double? MinTimeS { get; set; }
}

internal sealed class LfpRatioDocument
{
    public List<double>? Numerator { get; set; }
    public List<double>? Denominator { get; set; }
    public string? Region { get; set; }
    public double? WindowS { get; set; }
}
