using System.Globalization;
using System.Text;

namespace EphysPipeline.IO.Synthetic;

/// <summary>How drugs are assigned to subjects in the synthetic study.</summary>
public enum SyntheticDesign
{
    /// <summary>Every subject gets every drug, a week apart (crossover).</summary>
    Within,
    /// <summary>Each subject gets one drug (or saline): <see cref="SyntheticStudyOptions.Subjects"/> subjects per drug.</summary>
    Between,
}

/// <summary>Options of <c>ephys synth</c>: the shape of the sample study.</summary>
public sealed record SyntheticStudyOptions
{
    public ulong Seed { get; init; } = 1;
    /// <summary>Subjects in a within-subject study; subjects per drug in a between-subject one.</summary>
    public int Subjects { get; init; } = 3;
    public SyntheticDesign Design { get; init; } = SyntheticDesign.Within;
    public int Channels { get; init; } = 16;
    public double Minutes { get; init; } = 10;
    public double Rate { get; init; } = 1000;
    public double InjectionSeconds { get; init; } = 240;

    /// <summary>Write running speed and position, make theta and gamma follow running, and add locomotion/rest states to the manifest.</summary>
    public bool Behaviour { get; init; }

    /// <summary>Sessions to generate at once (each session's content is independent of this).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>Epochs of the manifest, seconds relative to the injection.</summary>
public readonly record struct ManifestEpoch(string Name, double Start, double Stop);

/// <summary>One written session.</summary>
public sealed record SyntheticSessionFile(SyntheticSessionSpec Spec, string Path, int Units, long Spikes, IReadOnlyList<ArtifactEvent> Artifacts);

/// <summary>
/// The sample psychedelics study: subjects m01.. × {saline, ketamine, psilocybin, mdma} (within-subject), or subjects
/// m01.. each given one of them in turn (between-subject); one NWB file per session plus a study manifest
/// (study.yaml). Sessions are generated in parallel; each file depends only on the options.
/// </summary>
public static class SyntheticStudy
{
    /// <summary>File name of the manifest written next to the sessions.</summary>
    public const string ManifestName = "study.yaml";

    /// <summary>
    /// The sessions of a study, in manifest order: subject, then drug. Between-subject: subject k (from 0) gets drug
    /// k mod 4, so the drug groups are m01, m05, … (saline), m02, m06, … (ketamine) and so on.
    /// </summary>
    public static IReadOnlyList<SyntheticSessionSpec> Plan(SyntheticStudyOptions options)
    {
        int drugs = DrugEffect.Defaults.Count;
        int maxSubjects = options.Design == SyntheticDesign.Between ? 99 / drugs : 99;
        if (options.Subjects < 1 || options.Subjects > maxSubjects)
            throw new ArgumentOutOfRangeException(nameof(options), options.Subjects,
                options.Design == SyntheticDesign.Between ? $"subjects per drug must be 1..{maxSubjects} in a between-subject study" : "subjects must be 1..99");
        if (!Enum.IsDefined(options.Design))
            throw new ArgumentOutOfRangeException(nameof(options), options.Design, "design must be within or between");
        var sessions = new List<SyntheticSessionSpec>();
        void Add(int subject, DrugEffect drug)
        {
            var spec = new SyntheticSessionSpec($"m{subject:00}", drug, options.Seed, options.Channels, options.Rate,
                options.Minutes * 60, options.InjectionSeconds, options.Behaviour);
            spec.Validate();
            sessions.Add(spec);
        }
        if (options.Design == SyntheticDesign.Between)
            for (var k = 0; k < options.Subjects * drugs; k++) Add(k + 1, DrugEffect.Defaults[k % drugs]);
        else
            for (var s = 1; s <= options.Subjects; s++)
                foreach (var drug in DrugEffect.Defaults) Add(s, drug);
        return sessions;
    }

    /// <summary>Recording start of a session: drugs a week apart (washout), subjects 90 min apart on the day.</summary>
    public static DateTimeOffset SessionStart(SyntheticSessionSpec spec)
    {
        var drugIndex = DrugEffect.Defaults.ToList().FindIndex(d => d.Name == spec.Drug.Name);
        var subjectIndex = int.Parse(spec.SubjectId.AsSpan(1), CultureInfo.InvariantCulture) - 1;
        return new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddDays(7 * Math.Max(0, drugIndex)).AddMinutes(90 * subjectIndex);
    }

    /// <summary>
    /// Baseline from 20 s after the start to 20 s before the injection; acute from 40 s after it; late to 10 s before
    /// the end. With the defaults (injection 240 s, 10 min): baseline [-220, -20], acute [40, 180], late [180, 350].
    /// </summary>
    public static IReadOnlyList<ManifestEpoch> Epochs(SyntheticStudyOptions options)
    {
        var post = options.Minutes * 60 - options.InjectionSeconds;
        var acuteEnd = Math.Round(40 + (post - 50) * 14 / 31);
        return
        [
            new("baseline", -Math.Round(options.InjectionSeconds - 20), -20),
            new("acute", 40, acuteEnd),
            new("late", acuteEnd, Math.Round(post - 10)),
        ];
    }

    /// <summary>Writes every session into <paramref name="directory"/> and the manifest (paths relative to it).</summary>
    /// <param name="analysisPath">The manifest's <c>analysis</c> entry (relative to the manifest); null = built-in defaults.</param>
    /// <param name="progress">Called once per finished session (from worker threads).</param>
    public static IReadOnlyList<SyntheticSessionFile> Generate(SyntheticStudyOptions options, string directory, string? analysisPath,
        Action<SyntheticSessionFile>? progress = null)
    {
        var plan = Plan(options);
        Directory.CreateDirectory(directory);
        var results = new SyntheticSessionFile[plan.Count];
        Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism) }, i =>
        {
            var spec = plan[i];
            var path = Path.Combine(directory, spec.FileName);
            var generator = NwbSessionWriter.Write(path, spec, SessionStart(spec));
            var result = new SyntheticSessionFile(spec, path, generator.Units.Count,
                generator.Units.Sum(u => (long)u.SpikeTimes.Count), generator.Artifacts);
            results[i] = result;
            progress?.Invoke(result);
        });
        File.WriteAllText(Path.Combine(directory, ManifestName), Manifest(options, "", analysisPath));
        return results;
    }

    /// <summary>The study manifest (schema 1) for these options; session files are <paramref name="filePrefix"/> + file name.</summary>
    public static string Manifest(SyntheticStudyOptions options, string filePrefix, string? analysisPath)
    {
        var text = new StringBuilder();
        text.Append("# EphysPipeline study manifest (schema 1). Generate the files with: ephys synth\n");
        text.Append("schema: 1\n");
        text.Append("study: sample-psychedelics\n");
        text.Append("output: output                 # relative to this file\n");
        if (analysisPath is not null) text.Append("analysis: ").Append(analysisPath.Replace('\\', '/')).Append('\n');
        text.Append("control: saline\n");
        text.Append("reference_epoch: baseline\n");
        text.Append("epochs:                        # seconds relative to the injection\n");
        foreach (var epoch in Epochs(options))
            text.Append("  ").Append(epoch.Name).Append(": [").Append(Number(epoch.Start)).Append(", ").Append(Number(epoch.Stop)).Append("]\n");
        if (options.Behaviour)
        {
            text.Append("states:                        # metrics again over the time in each state (docs/study.md)\n");
            text.Append("  locomotion: {series: running_speed, above: 3, hysteresis: 1, min_bout_s: 1}\n");
            text.Append("  rest: {series: running_speed, below: 0.5, min_bout_s: 2}\n");
        }
        text.Append("sessions:\n");
        foreach (var spec in Plan(options))
        {
            text.Append("  - id: ").Append(spec.SessionId).Append('\n');
            text.Append("    file: ").Append(filePrefix).Append(spec.FileName).Append('\n');
            text.Append("    subject: ").Append(spec.SubjectId).Append('\n');
            text.Append("    drug: ").Append(spec.Drug.Name).Append('\n');
            text.Append("    dose_mg_kg: ").Append(Number(spec.Drug.DoseMgKg)).Append('\n');
            text.Append("    injection_s: ").Append(Number(spec.InjectionSeconds)).Append('\n');
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
