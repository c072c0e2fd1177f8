using System.Globalization;
using System.Text;

namespace EphysPipeline.IO.Synthetic;

/// <summary>Options of <c>ephys synth --profile openscope</c>.</summary>
public sealed record OpenScopeOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Mice; each has a saline day and a psilocybin day.</summary>
    public int Subjects { get; init; } = 1;

    /// <summary>Session length (min); OpenScope PsyCode sessions last 1.85–2.03 h.</summary>
    public double Minutes { get; init; } = 120;

    /// <summary>Channels per probe (and so units) as a fraction of the full 384…96; 1 = full size.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Probes (and sessions) to write at once; the bytes do not depend on it.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The injection, a quarter into the session (30 min in a 2 h session).</summary>
    public double InjectionSeconds => Math.Round(Minutes * 60 / 4);
}

/// <summary>
/// A study in the shape of DANDI:001417 (OpenScope PsyCode): per mouse a saline and a psilocybin day, each session
/// one folder with a session file (units with curation columns, injection_times) and one LFP file per probe, six
/// probes of 384…96 channels at 1250 Hz with sub-sample clock offsets, CCF-style locations, about 3 units per
/// channel (4,128 at full size). The manifest uses probes:, region_groups:, channels_per_region: and units:.
/// </summary>
public static class OpenScopeStudy
{
    private static readonly (string Name, string Area, int Channels)[] FullProbes =
        [("probeA", "VISp", 384), ("probeB", "VISl", 320), ("probeC", "VISal", 256), ("probeD", "VISrl", 192), ("probeE", "VISam", 128), ("probeF", "VISpm", 96)];

    public const double Rate = 1250;
    public const int UnitsPerChannel = 3;
    private static readonly string[] Drugs = ["saline", "psilocybin"];

    /// <summary>The six probes at <paramref name="scale"/>: channels rounded, at least 4 per probe; clock offsets of 0–0.7 ms.</summary>
    public static IReadOnlyList<SyntheticProbe> Probes(double scale)
    {
        if (!(scale > 0 && scale <= 1)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be in (0, 1]");
        return FullProbes.Select((p, k) => new SyntheticProbe(p.Name, p.Area, Math.Max(4, (int)Math.Round(p.Channels * scale)), Rate,
            StartOffsetS: 0.00017 * k, FirstElectrodeId: 1000L * (k + 1))).ToList();
    }

    /// <summary>The sessions in manifest order: subject, then saline before psilocybin.</summary>
    public static IReadOnlyList<SyntheticSessionSpec> Plan(OpenScopeOptions options)
    {
        if (options.Subjects < 1 || options.Subjects > 99) throw new ArgumentOutOfRangeException(nameof(options), options.Subjects, "subjects must be 1..99");
        return [.. Enumerable.Range(1, options.Subjects).SelectMany(s => Drugs.Select(d => new SyntheticSessionSpec(
            $"m{s:00}", DrugEffect.Find(d)!, options.Seed, 16, Rate, options.Minutes * 60, options.InjectionSeconds, UnitsPerChannel: UnitsPerChannel)))];
    }

    /// <summary>Epochs relative to the injection: baseline before it, acute and late after it.</summary>
    public static IReadOnlyList<ManifestEpoch> Epochs(OpenScopeOptions options)
    {
        double before = options.InjectionSeconds, after = options.Minutes * 60 - options.InjectionSeconds;
        return [new("baseline", -(before - 10), -10), new("acute", 10, Math.Round(0.4 * after)), new("late", Math.Round(0.6 * after), after - 10)];
    }

    /// <summary>Writes every session (a folder each) and study.yaml into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<SyntheticProbeSession> Generate(OpenScopeOptions options, string directory, Action<SyntheticSessionSpec, SyntheticProbeSession>? progress = null)
    {
        var probes = Probes(options.Scale);
        var written = new List<SyntheticProbeSession>();
        foreach (var spec in Plan(options))
        {
            var session = NwbSessionWriter.WriteProbes(Path.Combine(directory, spec.SessionId), spec, probes, SyntheticStudy.SessionStart(spec), options.MaxParallelism);
            written.Add(session);
            progress?.Invoke(spec, session);
        }
        File.WriteAllText(Path.Combine(directory, SyntheticStudy.ManifestName), Manifest(options));
        return written;
    }

    /// <param name="analysisPath">The manifest's analysis: entry; null = defaults.</param>
    /// <param name="include">The sessions to list (all when null).</param>
    public static string Manifest(OpenScopeOptions options, string? analysisPath = null, Func<SyntheticSessionSpec, bool>? include = null)
    {
        var probes = Probes(options.Scale);
        var text = new StringBuilder();
        text.Append("# EphysPipeline study manifest (schema 1): synthetic sessions in the shape of OpenScope PsyCode (DANDI:001417).\n");
        text.Append("# Generate the files with: ephys synth --profile openscope\n");
        text.Append("schema: 1\nstudy: openscope-psilocybin\noutput: output\ncontrol: saline\nreference_epoch: baseline\n");
        if (analysisPath is not null) text.Append("analysis: ").Append(analysisPath).Append('\n');
        text.Append("epochs:                        # seconds relative to the injection\n");
        foreach (var e in Epochs(options)) text.Append(CultureInfo.InvariantCulture, $"  {e.Name}: [{Number(e.Start)}, {Number(e.Stop)}]\n");
        text.Append("region_groups:                 # CCF-style locations to areas\n");
        foreach (var p in probes) text.Append(CultureInfo.InvariantCulture, $"  {p.Area}: [\"{p.Area}2/3\", {p.Area}4, {p.Area}5, {p.Area}6a]\n");
        text.Append("  HPC: [CA1, CA3, DG-sg]\n");
        text.Append("channels_per_region: {max: 16}   # all-pairs over 7 regions × 16 channels\n");
        text.Append("units: {equal: {quality: good}, max: {isi_violations: 0.5}}\n");
        text.Append("sessions:\n");
        foreach (var spec in Plan(options).Where(include ?? (_ => true)))
        {
            var folder = spec.SessionId;
            text.Append(CultureInfo.InvariantCulture, $"  - id: {spec.SessionId}\n    file: {folder}/{spec.SessionId}.nwb\n    subject: {spec.SubjectId}\n");
            text.Append(CultureInfo.InvariantCulture, $"    drug: {spec.Drug.Name}\n    dose_mg_kg: {Number(spec.Drug.DoseMgKg)}\n    injection_table: injection_times\n    probes:\n");
            foreach (var p in probes)
                text.Append(CultureInfo.InvariantCulture, $"      - {{name: {p.Name}, file: {folder}/{spec.SessionId}_{p.Name}.nwb, series: {p.Name}_lfp}}\n");
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
