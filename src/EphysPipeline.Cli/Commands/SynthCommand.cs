using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.IO.Synthetic;
using EphysPipeline.Native.Hdf5;
using Spectre.Console;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// <c>ephys synth</c>: writes the synthetic sample study (NWB files + study.yaml) whose ground truth is documented
/// in sampledata/README.md. Same options and seed → byte-identical files.
/// </summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticStudyOptions();
        var output = new Option<string>("--out") { Description = "Directory for the NWB files and study.yaml", DefaultValueFactory = _ => "sampledata/study" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => defaults.Seed };
        var subjects = new Option<int>("--subjects") { Description = "Subjects m01.. (each gets saline, ketamine, psilocybin, mdma); with --design between, subjects per drug", DefaultValueFactory = _ => defaults.Subjects };
        var design = new Option<string>("--design") { Description = "within: every subject gets every drug (crossover); between: each subject gets one drug or saline", DefaultValueFactory = _ => "within" };
        var channels = new Option<int>("--channels") { Description = "Channels per session: first half PFC, second half HPC", DefaultValueFactory = _ => defaults.Channels };
        var minutes = new Option<double>("--minutes") { Description = "Session length (min)", DefaultValueFactory = _ => defaults.Minutes };
        var rate = new Option<double>("--rate") { Description = "Sampling rate (Hz)", DefaultValueFactory = _ => defaults.Rate };
        var injection = new Option<double>("--injection") { Description = "Injection time from the session start (s)", DefaultValueFactory = _ => defaults.InjectionSeconds };

        var behaviour = new Option<bool>("--behaviour") { Description = "Also write running speed and position; theta and gamma rise with running, ketamine runs more; the manifest gets locomotion and rest states" };

        var profile = new Option<string>("--profile") { Description = "standard: the sample study; openscope: per mouse a saline and a psilocybin day, each a session file plus six probe LFP files (384…96 channels, 1250 Hz, 2 h; DANDI:001417's shape)", DefaultValueFactory = _ => "standard" };
        var scale = new Option<double>("--scale") { Description = "openscope: channels per probe (and units) as a fraction of full size", DefaultValueFactory = _ => 1.0 };

        var command = new Command("synth", "Generate the synthetic sample study (rodent LFP + units under saline, ketamine, psilocybin, MDMA)")
        {
            output, seed, subjects, design, channels, minutes, rate, injection, behaviour, profile, scale,
        };
        command.SetAction(parse => parse.GetValue(profile) switch
        {
            "standard" => Run(parse.GetValue(output)!, Standard(parse)),
            "openscope" => RunOpenScope(parse.GetValue(output)!, new OpenScopeOptions
            {
                Seed = parse.GetValue(seed),
                Subjects = parse.GetResult(subjects) is { Implicit: false } ? parse.GetValue(subjects) : 1,
                Minutes = parse.GetResult(minutes) is { Implicit: false } ? parse.GetValue(minutes) : 120,
                Scale = parse.GetValue(scale),
            }),
            var other => throw new EphysInputException(null, "--profile", $"'{other}' is not standard or openscope"),
        });
        SyntheticStudyOptions Standard(ParseResult parse) => new()
        {
            Seed = parse.GetValue(seed),
            Subjects = parse.GetValue(subjects),
            Design = parse.GetValue(design) switch
            {
                "within" => SyntheticDesign.Within,
                "between" => SyntheticDesign.Between,
                var other => throw new EphysInputException(null, "--design", $"'{other}' is not within or between"),
            },
            Channels = parse.GetValue(channels),
            Minutes = parse.GetValue(minutes),
            Rate = parse.GetValue(rate),
            InjectionSeconds = parse.GetValue(injection),
            Behaviour = parse.GetValue(behaviour),
        };
        return command;
    }

    private static int RunOpenScope(string directory, OpenScopeOptions options)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var probes = OpenScopeStudy.Probes(options.Scale);
            AnsiConsole.MarkupLine($"Writing {OpenScopeStudy.Plan(options).Count} OpenScope-shaped sessions to [bold]{Markup.Escape(directory)}[/]: " +
                $"{probes.Count} probes ({string.Join(", ", probes.Select(p => p.Channels))} channels, {OpenScopeStudy.Rate} Hz), {options.Minutes} min each (seed {options.Seed})");
            var written = OpenScopeStudy.Generate(options, directory, (spec, session) =>
                AnsiConsole.MarkupLine($"  {Markup.Escape(spec.SessionId),-16} {session.Units,5} units {session.Spikes,10} spikes, {session.ProbePaths.Count + 1} files"));
            var bytes = written.Sum(w => w.ProbePaths.Append(w.SessionPath).Sum(f => new FileInfo(f).Length));
            AnsiConsole.MarkupLine($"Done in {watch.Elapsed.TotalSeconds:F1} s: {bytes / 1e6:F1} MB, manifest {Markup.Escape(Path.Combine(directory, SyntheticStudy.ManifestName))}");
            return 0;
        }
        catch (Exception e) when (Rethrown(directory, e) is { } input)
        {
            throw input;
        }
    }

    private static int Run(string directory, SyntheticStudyOptions options)
    {
        var watch = Stopwatch.StartNew();
        var gate = new object();
        try
        {
            var plan = SyntheticStudy.Plan(options);
            var design = options.Design == SyntheticDesign.Between ? "between-subject: each subject one drug" : "within-subject: every subject every drug";
            AnsiConsole.MarkupLine($"Writing {plan.Count} sessions to [bold]{Markup.Escape(directory)}[/] ({design}; seed {options.Seed})");
            var files = SyntheticStudy.Generate(options, directory, AnalysisPath(directory), file =>
            {
                var artifacts = file.Artifacts.Count == 0 ? "no artifacts"
                    : string.Join(", ", file.Artifacts.Select(a => a.Start.ToString("F1", CultureInfo.InvariantCulture) + " s"));
                lock (gate)
                    AnsiConsole.MarkupLine($"  {Markup.Escape(file.Spec.SessionId),-16} {file.Units,3} units {file.Spikes,8} spikes  artifacts: {Markup.Escape(artifacts)}");
            });
            var bytes = files.Sum(f => new FileInfo(f.Path).Length);
            AnsiConsole.MarkupLine($"Done in {watch.Elapsed.TotalSeconds:F1} s: {bytes / 1e6:F1} MB, manifest {Markup.Escape(Path.Combine(directory, SyntheticStudy.ManifestName))}");
            return 0;
        }
        catch (Exception e) when (Rethrown(directory, e) is { } input)
        {
            throw input;
        }
    }

    /// <summary>
    /// A setting out of range becomes one line for `ephys:` without .NET's "(Parameter ...)" suffix (exit code 1); a
    /// write failure names the directory; anything else is not ours to translate (null).
    /// </summary>
    private static EphysInputException? Rethrown(string directory, Exception e) => e switch
    {
        ArgumentOutOfRangeException => new EphysInputException(null, null, e.Message.Split('\n')[0].Split(" (Parameter")[0], e),
        IOException or UnauthorizedAccessException or Hdf5Exception => new EphysInputException(directory, null, e.Message, e),
        _ => null,
    };

    /// <summary>configs/default.yaml relative to the study folder when run from the repository; elsewhere none (the same defaults).</summary>
    private static string? AnalysisPath(string directory)
    {
        var config = Path.GetFullPath(Path.Combine("configs", "default.yaml"));
        return File.Exists(config) ? Path.GetRelativePath(Path.GetFullPath(directory), config).Replace('\\', '/') : null;
    }
}
