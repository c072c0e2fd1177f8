using System.Globalization;
using EphysPipeline.IO.Synthetic;

namespace EphysPipeline.Cli.Bench;

/// <summary>A bench workload: one synthetic int16 NWB session of a fixed shape.</summary>
/// <param name="Probes">The session is OpenScope-shaped (a session file and six probe files) at this scale; null = one file.</param>
public sealed record BenchProfile(string Name, int Channels, double Minutes, double Rate, double? Probes = null)
{
    public static BenchProfile Standard { get; } = new("standard", 32, 30, 1000);
    public static BenchProfile Neuropixels { get; } = new("neuropixels", 384, 10, 2500);

    /// <summary>One OpenScope-shaped saline session (ephys synth --profile openscope): full size is 1,376 channels × 2 h.</summary>
    public static BenchProfile OpenScope(double scale, double minutes) =>
        new(scale == 1 && minutes == 120 ? "openscope" : string.Create(CultureInfo.InvariantCulture, $"openscope-{scale:G4}x-{minutes:G4}min"),
            OpenScopeStudy.Probes(scale).Sum(p => p.Channels), minutes, OpenScopeStudy.Rate, scale);

    public static BenchProfile? Find(string name, double scale = 1, double minutes = 120) =>
        name.ToLowerInvariant() switch { "standard" => Standard, "neuropixels" => Neuropixels, "openscope" => OpenScope(scale, minutes), _ => null };

    public double DurationSeconds => Minutes * 60;

    public long Samples => (long)Math.Round(DurationSeconds * Rate);

    /// <summary>Raw int16 bytes of the whole recording (what a full read decompresses).</summary>
    public long RawBytes => Samples * Channels * sizeof(short);

    public double ChannelHours => Channels * DurationSeconds / 3600;
}

/// <summary>
/// Files of a bench run under the work directory: the session (generated once, cached by shape and seed), a
/// one-session manifest and a config with every metric family on (multitaper and multiscale included).
/// </summary>
public sealed class BenchWorkload
{
    private const ulong Seed = 1;

    public BenchWorkload(string workDirectory, BenchProfile profile, bool parquet = false)
    {
        Profile = profile;
        Parquet = parquet;
        Directory = Path.GetFullPath(Path.Combine(workDirectory, profile.Name));
        Spec = profile.Probes is null
            ? new SyntheticSessionSpec("m01", DrugEffect.Defaults.First(d => d.Name == "saline"), Seed,
                profile.Channels, profile.Rate, profile.DurationSeconds, InjectionSeconds)
            : OpenScopeStudy.Plan(OpenScopeOptions)[0];
    }

    private OpenScopeOptions OpenScopeOptions => new() { Seed = Seed, Minutes = Profile.Minutes, Scale = Profile.Probes ?? 1 };

    /// <summary>Injection time: the baseline epoch gets 4 min, as in the sample study.</summary>
    public const double InjectionSeconds = 240;

    public BenchProfile Profile { get; }

    /// <summary>The study tables are also written as Parquet (outputs.formats: [csv, parquet]).</summary>
    public bool Parquet { get; }
    public string Directory { get; }
    public SyntheticSessionSpec Spec { get; }
    /// <summary>The session's file (for an OpenScope-shaped session, the one with units and intervals).</summary>
    public string SessionPath => Profile.Probes is null ? Path.Combine(Directory, Spec.FileName) : Path.Combine(Directory, Spec.SessionId, Spec.SessionId + ".nwb");
    public string ManifestPath => Path.Combine(Directory, "bench-study.yaml");
    public string ConfigPath => Path.Combine(Directory, "bench-config.yaml");
    public string OutputDirectory => Path.Combine(Directory, "output");
    public string SessionRecordPath => Path.Combine(OutputDirectory, "sessions", Spec.SessionId, "session.json");

    /// <summary>The analysed epochs (absolute seconds from the recording start), as in the manifest.</summary>
    public IReadOnlyList<(string Name, double Start, double Stop)> Epochs =>
        [.. SyntheticStudy.Epochs(Options).Select(e => (e.Name, e.Start + InjectionSeconds, e.Stop + InjectionSeconds))];

    private SyntheticStudyOptions Options => new()
    {
        Seed = Seed, Subjects = 1, Channels = Profile.Channels, Minutes = Profile.Minutes, Rate = Profile.Rate, InjectionSeconds = InjectionSeconds,
    };

    /// <summary>Writes the session unless a complete one is cached (a marker is written after the file).</summary>
    /// <returns>Seconds spent generating, 0 when cached.</returns>
    public double Prepare()
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(SessionPath)!);
        var marker = SessionPath + ".complete";
        double seconds = 0;
        if (!File.Exists(marker) || !File.Exists(SessionPath))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            File.Delete(marker);
            if (Profile.Probes is { } scale)
                NwbSessionWriter.WriteProbes(Path.Combine(Directory, Spec.SessionId), Spec, OpenScopeStudy.Probes(scale), SyntheticStudy.SessionStart(Spec), Environment.ProcessorCount);
            else NwbSessionWriter.Write(SessionPath, Spec, SyntheticStudy.SessionStart(Spec));
            File.WriteAllText(marker, "");
            seconds = clock.Elapsed.TotalSeconds;
        }
        File.WriteAllText(ConfigPath, Parquet ? Config + ParquetOutputs : Config);
        File.WriteAllText(ManifestPath, Manifest());
        return seconds;
    }

    // Every family on; the rest keeps configs/default.yaml's defaults.
    private const string Config = """
        # ephys bench: every metric family on (multitaper and multiscale entropy included); other keys default.
        schema: 1
        spectral:
          multitaper:
            enabled: true
        entropy:
          multiscale:
            enabled: true

        """;

    private const string ParquetOutputs = """
        outputs:
          formats: [csv, parquet]

        """;

    private string Manifest()
    {
        if (Profile.Probes is not null)
            return OpenScopeStudy.Manifest(OpenScopeOptions, Path.GetFileName(ConfigPath), s => s.SessionId == Spec.SessionId);
        // The sample-study manifest lists four drugs per subject; the bench keeps one (saline: the manifest needs its control).
        var full = SyntheticStudy.Manifest(Options, "", Path.GetFileName(ConfigPath));
        var head = full[..full.IndexOf("sessions:\n", StringComparison.Ordinal)];
        return head + string.Create(CultureInfo.InvariantCulture,
            $"sessions:\n  - id: {Spec.SessionId}\n    file: {Spec.FileName}\n    subject: {Spec.SubjectId}\n    drug: {Spec.Drug.Name}\n" +
            $"    dose_mg_kg: {Spec.Drug.DoseMgKg:R}\n    injection_s: {Spec.InjectionSeconds:R}\n");
    }
}
