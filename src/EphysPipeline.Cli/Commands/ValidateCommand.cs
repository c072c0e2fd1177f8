using System.CommandLine;
using System.Globalization;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys validate STUDY`: every problem of a study (manifest, config, files, epochs) before any work starts. The
/// session files are read in a child process, so a file that crashes libhdf5 is that session's problem.
/// </summary>
public static class ValidateCommand
{
    private const string Prefix = "ephys-validate\t";

    public static Command Create()
    {
        var study = new Argument<FileInfo>("study") { Description = "Study manifest (YAML)" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Sessions the run will analyse at once, for the memory check (default: CPU count, as run)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxMemory = new Option<string>("--max-memory") { Description = "The run's --max-memory, for the memory check", DefaultValueFactory = _ => "1G" };
        var inProcess = new Option<bool>("--in-process") { Description = "Read the session files in this process, not in a child process (for debugging: a native crash then ends validate)" };
        // Child mode: check the sessions from this index on, answering in protocol lines on stdout.
        var from = new Option<int?>("--probe-from") { Hidden = true };
        var command = new Command("validate", "Check a study manifest, its analysis config and every session file without analysing") { study, jobs, maxMemory, inProcess, from };
        command.SetAction(parse =>
        {
            var manifest = ManifestLoader.Load(parse.GetValue(study)!.FullName);
            var config = ConfigLoader.Load(manifest.AnalysisPath);
            int sessionJobs = Math.Max(1, parse.GetValue(jobs));
            int atOnce = Math.Min(sessionJobs, Math.Max(1, manifest.Sessions.Count));
            var memory = new MemoryCheck(config, sessionJobs, atOnce, RunCommand.ParseBytes(parse.GetValue(maxMemory)!), MemoryCheck.MachineBytes);
            if (parse.GetValue(from) is { } first) return Probe(manifest, first, memory);
            var checks = parse.GetValue(inProcess)
                ? manifest.Sessions.Select(spec => (spec.Id, Check: StudyValidator.CheckSession(manifest, spec, memory))).ToList()
                : InChild(manifest, ["--jobs", sessionJobs.ToString(CultureInfo.InvariantCulture), "--max-memory", parse.GetValue(maxMemory)!]);
            var problems = checks.SelectMany(c => c.Check.Problems).ToList();
            if (problems.Count > 0)
                throw new StudyValidationException(manifest.SourcePath, problems);
            Console.WriteLine($"{manifest.Name}: {manifest.Sessions.Count} session(s), {manifest.Epochs.Count} epoch(s) — valid");
            if (checks.Where(c => c.Check.MemoryBytes is not null).MaxBy(c => c.Check.MemoryBytes) is { Id: not null } largest)
                Console.WriteLine($"memory: the largest session ({largest.Id}, {largest.Check.Channels} channels) needs about " +
                                  $"{MemoryEstimate.Format(largest.Check.MemoryBytes!.Value)}; {atOnce} at once, {MemoryEstimate.Format(memory.AvailableBytes)} available");
            return 0;
        });
        return command;
    }

    private static int Probe(StudyManifest manifest, int first, MemoryCheck memory)
    {
        for (var i = first; i < manifest.Sessions.Count; i++)
        {
            var spec = manifest.Sessions[i];
            Console.Out.WriteLine($"{Prefix}session\t{i.ToString(CultureInfo.InvariantCulture)}");
            FaultInjection.At(FaultInjection.ProbeVariable, spec.Id);
            var check = StudyValidator.CheckSession(manifest, spec, memory);
            foreach (var problem in check.Problems)
                Console.Out.WriteLine($"{Prefix}problem\t{problem.ReplaceLineEndings(" ")}");
            if (check.MemoryBytes is { } bytes)
                Console.Out.WriteLine($"{Prefix}memory\t{check.Channels.ToString(CultureInfo.InvariantCulture)}\t{bytes.ToString(CultureInfo.InvariantCulture)}");
        }
        return 0;
    }

    /// <summary>
    /// Checks every session in a child `ephys validate --probe-from N`; when the child dies on a session, that session
    /// gets the crash as its problem and a new child goes on with the next one.
    /// </summary>
    private static List<(string Id, SessionCheck Check)> InChild(StudyManifest manifest, IReadOnlyList<string> memoryOptions)
    {
        var problems = new Dictionary<int, List<string>>();
        var memory = new Dictionary<int, (int Channels, long Bytes)>();
        for (var next = 0; next < manifest.Sessions.Count;)
        {
            int current = -1;
            var outcome = ChildProcess.Run(["validate", manifest.SourcePath, "--probe-from", next.ToString(CultureInfo.InvariantCulture), .. memoryOptions], line =>
            {
                if (!line.StartsWith(Prefix, StringComparison.Ordinal)) return;
                var fields = line[Prefix.Length..].Split('\t');
                switch (fields[0])
                {
                    case "session":
                        current = int.Parse(fields[1], CultureInfo.InvariantCulture);
                        problems[current] = [];
                        break;
                    case "problem":
                        problems[current].Add(string.Join('\t', fields[1..]));
                        break;
                    case "memory":
                        memory[current] = (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture));
                        break;
                }
            });
            if (outcome.ExitCode == 0 && outcome.Death is null) break;
            if (current < 0) throw new ChildFailedException(outcome.ExitCode == 0 ? EphysCli.Internal : outcome.ExitCode, outcome.Errors);
            var spec = manifest.Sessions[current];
            problems[current].Add(outcome.Death is { } death
                ? $"{spec.Id}: {spec.File}: {death} while reading it: the file is damaged or malformed (libhdf5 could not parse it)"
                : $"{spec.Id}: {spec.File}: {string.Join(" ", outcome.Errors.Where(l => l.StartsWith("ephys:", StringComparison.Ordinal))).Trim()}");
            next = current + 1;
        }
        return manifest.Sessions.Select((spec, i) => (spec.Id, new SessionCheck(problems.GetValueOrDefault(i) ?? [],
            memory.TryGetValue(i, out var m) ? m.Channels : 0, memory.TryGetValue(i, out var b) ? b.Bytes : (long?)null))).ToList();
    }
}
