using System.CommandLine;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Commands;

/// <summary>`ephys merge OUTPUT_DIR`: the study tables from the per-session results (after sharded runs).</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var output = new Argument<DirectoryInfo>("output") { Description = "The study's output folder (holds sessions/ and study.json)" };
        var command = new Command("merge", "Combine per-session results (e.g. from `ephys run --shard i/n` tasks) into the study outputs") { output };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(output)!.FullName;
            var manifest = ManifestLoader.Load(StudyMerger.ManifestOf(directory));
            var config = ConfigLoader.Load(manifest.AnalysisPath);
            using var runLock = RunCommand.Locked(manifest.OutputDirectory, shard: null);
            foreach (var (session, reason) in StudyMerger.Merge(manifest, config, "ephys " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTimeOffset.UtcNow))
                Console.Error.WriteLine($"{session}: warning: {reason}");
            var failed = manifest.Sessions.Count(s => SessionStore.ReadRecord(SessionStore.Folder(manifest.OutputDirectory, s.Id)) is not { Status: "ok" });
            Console.Error.WriteLine($"{manifest.Name}: merged {manifest.Sessions.Count - failed} of {manifest.Sessions.Count} session(s) into {manifest.OutputDirectory}");
            return Math.Max(failed == 0 ? 0 : 1, CompareStep.Run(manifest.OutputDirectory));
        });
        return command;
    }
}
