using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// A named spectral array of a session for spectra.h5: an epoch's PSD (channels × frequencies, V²/Hz) or the
/// spectrogram (channels × times × frequencies, V²/Hz; times in s relative to the injection).
/// </summary>
public sealed record SpectralArray(
    string Name,
    double[] Frequencies,
    double[]? Times,
    long[] Channels,
    string[] Regions,
    double[] Values)
{
    /// <summary>The epoch of an epoch's PSD; null for the spectrogram.</summary>
    public string? Epoch { get; init; }

    /// <summary>The state of a PSD computed in one (docs/study.md); null for the whole epoch.</summary>
    public string? State { get; init; }

    public long[] Shape => Times is null
        ? [Channels.Length, Frequencies.Length]
        : [Channels.Length, Times.Length, Frequencies.Length];
}

/// <summary>Everything one session produced.</summary>
public sealed class SessionResult
{
    public required SessionSummary Summary { get; init; }
    public List<MetricRow> Metrics { get; } = [];
    public PairRows Pairs { get; } = new();
    public List<UnitRow> Units { get; } = [];
    public List<SpectralArray> Spectra { get; } = [];

    /// <summary>Each electrode id's probe, for a session of several probes.</summary>
    public IReadOnlyDictionary<long, string>? ProbeOf { get; set; }

    /// <summary>Wall time per step of the analysis (open, preprocess, read, each stage), for provenance and `ephys bench`.</summary>
    public Dictionary<string, TimeSpan> Timings { get; } = [];

    internal void AddTime(string step, TimeSpan elapsed) =>
        Timings[step] = Timings.GetValueOrDefault(step) + elapsed;
}

/// <summary>What the runner reports while it works; the CLI draws progress bars from it.</summary>
public interface IRunReporter
{
    void Planned(int total, int skipped);
    void SessionStarted(string session);
    void SessionProgress(string session, double fraction);
    void SessionFinished(string session, bool ok, string? reason);
    void Warning(string session, string message);

    /// <summary>The session entered a stage of its analysis (open, preprocessing, epochs, analysis, writing).</summary>
    void SessionStage(string session, string stage) { }
}

/// <summary>A reporter that says nothing (quiet batch runs, tests).</summary>
public sealed class SilentReporter : IRunReporter
{
    public static SilentReporter Instance { get; } = new();
    public void Planned(int total, int skipped) { }
    public void SessionStarted(string session) { }
    public void SessionProgress(string session, double fraction) { }
    public void SessionFinished(string session, bool ok, string? reason) { }
    public void Warning(string session, string message) { }
}
