namespace EphysPipeline.IO.Synthetic;

/// <summary>
/// The ground-truth effect of a drug in the synthetic model: factors reached 30 s after the injection
/// (linear ramp) and held to the end. Power factors apply to the oscillatory components, not to the 1/f background.
/// </summary>
/// <param name="Name">Drug name as written in the manifest and NWB pharmacology ("saline", "ketamine", ...).</param>
/// <param name="DoseMgKg">Dose in mg/kg, i.p.</param>
/// <param name="DeltaPower">Factor on delta (~2 Hz) oscillation power.</param>
/// <param name="ThetaPower">Factor on theta (~8 Hz) oscillation power.</param>
/// <param name="GammaPower">Factor on low- and high-gamma (45, 80 Hz) oscillation power.</param>
/// <param name="ThetaIndependence">Share of theta power replaced by channel-independent theta (0 = fully common phase).</param>
/// <param name="UnitKappa">Von Mises concentration of unit firing on local theta phase after the ramp.</param>
/// <param name="PfcRate">Factor on the firing rate of PFC units.</param>
/// <param name="RunningShare">Share of time spent running after the ramp (with --behaviour only).</param>
public sealed record DrugEffect(
    string Name,
    double DoseMgKg,
    double DeltaPower = 1.0,
    double ThetaPower = 1.0,
    double GammaPower = 1.0,
    double ThetaIndependence = 0.0,
    double UnitKappa = SyntheticModel.BaselineKappa,
    double PfcRate = 1.0,
    double RunningShare = SyntheticModel.BaselineRunningShare)
{
    /// <summary>Saline, ketamine, psilocybin, MDMA: the four conditions of the default study, in manifest order.</summary>
    public static IReadOnlyList<DrugEffect> Defaults { get; } =
    [
        new("saline", 0),
        new("ketamine", 10, ThetaPower: 0.8, GammaPower: 2.5, RunningShare: 0.6),
        new("psilocybin", 1, DeltaPower: 0.5, ThetaPower: 0.5, ThetaIndependence: 0.75, UnitKappa: 0.25),
        new("mdma", 7.5, PfcRate: 0.5),
    ];

    /// <summary>The default effect of a drug by name (case-insensitive), or null when unknown.</summary>
    public static DrugEffect? Find(string name) =>
        Defaults.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What one synthetic session contains: who, which drug, and the recording's shape.</summary>
/// <param name="SubjectId">Subject, e.g. "m01".</param>
/// <param name="Drug">Drug effect (ground truth).</param>
/// <param name="Seed">Study seed; the session's own streams derive from it, the subject and the drug.</param>
/// <param name="ChannelCount">Channels; the first half are "PFC", the rest "HPC".</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="DurationSeconds">Recording length (s).</param>
/// <param name="InjectionSeconds">Injection time from the start of the recording (s).</param>
/// <param name="Behaviour">Write a running-speed and a position series; theta and gamma power follow running (SyntheticModel).</param>
/// <param name="UnitsPerChannel">Units per channel; null = one or two at random.</param>
public sealed record SyntheticSessionSpec(
    string SubjectId,
    DrugEffect Drug,
    ulong Seed,
    int ChannelCount = 16,
    double SampleRate = 1000.0,
    double DurationSeconds = 600.0,
    double InjectionSeconds = 240.0,
    bool Behaviour = false,
    int? UnitsPerChannel = null)
{
    /// <summary>"m01-ketamine".</summary>
    public string SessionId => $"{SubjectId}-{Drug.Name}";

    /// <summary>"m01_ketamine.nwb".</summary>
    public string FileName => $"{SubjectId}_{Drug.Name}.nwb";

    /// <summary>Samples per channel.</summary>
    public long SampleCount => (long)Math.Round(DurationSeconds * SampleRate);

    /// <summary>The session's own seed (independent of generation order and thread).</summary>
    public ulong SessionSeed => SynthRandom.Derive(Seed, SessionId);

    /// <summary>Region of a channel: the first half "PFC", the second half "HPC".</summary>
    public string RegionOf(int channel) => channel < (ChannelCount + 1) / 2 ? "PFC" : "HPC";

    /// <summary>Checks the shape; the message says what to change.</summary>
    public void Validate()
    {
        if (ChannelCount < 2 || ChannelCount > 1024) throw new ArgumentOutOfRangeException(nameof(ChannelCount), ChannelCount, "channels must be 2..1024");
        if (!(SampleRate >= 200 && SampleRate <= 50_000)) throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "rate must be 200..50000 Hz (the model has 80 Hz gamma)");
        if (!(InjectionSeconds >= 60)) throw new ArgumentOutOfRangeException(nameof(InjectionSeconds), InjectionSeconds, "injection must be at least 60 s after the start (baseline epoch)");
        if (!(DurationSeconds - InjectionSeconds >= 100)) throw new ArgumentOutOfRangeException(nameof(DurationSeconds), DurationSeconds, "the recording must last at least 100 s after the injection (acute and late epochs)");
    }
}
