namespace EphysPipeline.Study.Manifest;

/// <summary>An epoch, in seconds relative to the injection: [Start, End).</summary>
public sealed record EpochWindow(string Name, double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>
/// One recording session of the study, resolved (absolute file path, validated values). <see cref="Layout"/> is null
/// for NWB, else the absolute path of a plain-HDF5 layout YAML (docs/io.md) or <see cref="OpenEphysKwd"/>.
/// </summary>
public sealed record SessionSpec(
    string Id,
    string File,
    string Subject,
    string Drug,
    double DoseMgKg,
    double? InjectionSeconds,
    string? InjectionTag,
    string? Series,
    IReadOnlyList<long>? Channels,
    IReadOnlyDictionary<long, string> RegionOverrides,
    IReadOnlyList<long> BadChannels,
    string? Layout)
{
    /// <summary>The <see cref="Layout"/> value that reads an Open Ephys .kwd file without a layout file.</summary>
    public const string OpenEphysKwd = "openephys-kwd";

    /// <summary>
    /// Several series analysed as one session (one per probe, possibly in other files), aligned on their clocks;
    /// null = the one series <see cref="Series"/>. Not serialised with the session: the fingerprint adds it, with
    /// each file's identity, only when it is given.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ProbeSpec>? Probes { get; init; }

    /// <summary>An /intervals table whose first row (by start time) is the injection, e.g. OpenScope's injection_times.
    /// Fingerprinted only when given, as <see cref="Probes"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? InjectionTable { get; init; }
}

/// <summary>
/// One probe of a session: a series (path or name; null = the file's only one) in a file. A series pattern ('*', '?')
/// stands for every ElectricalSeries of the file whose name or path matches, found when the session is opened: each
/// is a probe named by its series, after <see cref="Name"/> and a '/' when the name is not empty.
/// </summary>
public sealed record ProbeSpec(string Name, string File, string? Series)
{
    public bool SeriesIsPattern => Series is not null && Glob.IsPattern(Series);
}

/// <summary>A study: sessions per drug condition, epochs relative to injection, where the outputs go.</summary>
public sealed record StudyManifest(
    string SourcePath,
    string Name,
    string OutputDirectory,
    string? AnalysisPath,
    string Control,
    string ReferenceEpoch,
    IReadOnlyList<EpochWindow> Epochs,
    IReadOnlyList<SessionSpec> Sessions)
{
    /// <summary>The states of the manifest's states: block, in the order given (empty: no stratification).</summary>
    public IReadOnlyList<StateDefinition> States { get; init; } = [];

    /// <summary>Coarser region groups and fewer channels per region (manifest region_groups:, channels_per_region:).</summary>
    public RegionSelection Regions { get; init; } = RegionSelection.None;

    /// <summary>Which sorted units take part (manifest units:), by the units table's columns.</summary>
    public UnitFilter Units { get; init; } = UnitFilter.None;

    /// <summary>Some session has several probes: every table gets probe columns.</summary>
    public bool HasProbes => Sessions.Any(s => s.Probes is not null);

    /// <summary>The names of <see cref="States"/>.</summary>
    public IReadOnlyList<string> StateNames => States.Select(s => s.Name).ToList();
}
