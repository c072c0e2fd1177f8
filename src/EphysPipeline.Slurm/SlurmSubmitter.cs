using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Slurm;

/// <summary>What a submission wrote and, unless it was a dry run, the jobs it queued.</summary>
public sealed record SubmitOutcome(ArrayPlan Plan, string ArrayScript, string MergeScript, IReadOnlyList<string> Commands, SlurmSubmission? Submission);

/// <summary>
/// Puts a study on a Slurm cluster: a job array with one task per shard, then a merge job that starts only when
/// every task succeeded. Submissions are recorded in OUTPUT/slurm/jobs.json, so status and resubmit find them.
/// </summary>
public sealed class SlurmSubmitter(SlurmClient client, EphysLauncher launcher)
{
    /// <summary>Array tasks when --tasks is not given: one per session, at most this many.</summary>
    public const int DefaultMaxTasks = 8;

    /// <summary>Submits every shard of the study. <paramref name="tasks"/> is capped at the session count (an empty shard would idle).</summary>
    public SubmitOutcome Submit(StudyManifest manifest, int? tasks, SlurmResources resources, bool dryRun, DateTimeOffset now)
    {
        if (manifest.Sessions.Count == 0) throw new EphysInputException(manifest.SourcePath, "sessions", "the study has no sessions");
        if (tasks is < 1) throw new EphysInputException(null, "--tasks", $"{tasks}: give at least 1");
        int count = Math.Min(tasks ?? DefaultMaxTasks, manifest.Sessions.Count);
        return SubmitShards(manifest, count, Enumerable.Range(1, count).ToList(), resources, dryRun, now);
    }

    /// <summary>
    /// Submits again only the shards with unfinished (failed, missing or outdated) sessions, with the shard count of the
    /// last submission so each shard holds the sessions it held then; finished sessions inside those shards are skipped
    /// by `ephys run` itself. Returns null when every session is finished.
    /// </summary>
    public SubmitOutcome? Resubmit(StudyManifest manifest, AnalysisConfig config, SlurmResources? resources, bool dryRun, DateTimeOffset now)
    {
        var jobs = SlurmJobs.Read(manifest.OutputDirectory)
            ?? throw new EphysInputException(SlurmJobs.PathOf(manifest.OutputDirectory), null, "no submission recorded: use `ephys slurm submit` first");
        var last = jobs.Submissions[^1];
        if (!dryRun && client.Queued([last.ArrayJob, last.MergeJob]) is { Count: > 0 } queued)
            throw new SlurmCommandException($"jobs of the last submission are still queued ({string.Join(", ", queued.Select(q => q.Split('|')[0]))}): wait for them or scancel {last.ArrayJob} {last.MergeJob}");
        var shards = StudyProgress.Unfinished(StudyProgress.Of(manifest, config, last.ShardCount));
        if (shards.Count == 0) return null;
        return SubmitShards(manifest, last.ShardCount, shards, resources ?? last.Resources, dryRun, now);
    }

    private SubmitOutcome SubmitShards(StudyManifest manifest, int shardCount, IReadOnlyList<int> shards, SlurmResources resources, bool dryRun, DateTimeOffset now)
    {
        resources = resources.Validated();
        var output = Path.GetFullPath(manifest.OutputDirectory);
        var plan = new ArrayPlan(Path.GetFullPath(manifest.SourcePath), manifest.Name, output, shardCount, shards);
        var previous = SlurmJobs.Read(output);
        int number = (previous?.Submissions.Count ?? 0) + 1;

        // Slurm does not create log folders: a task whose --output folder is missing dies without a word.
        Study.Outputs.AtomicFile.CreateDirectory(JobScripts.LogDirectory(output));
        // `ephys merge OUTPUT` and `ephys slurm status OUTPUT` find the manifest through this pointer.
        StudyMerger.WritePointer(manifest);
        var arrayScript = Path.Combine(SlurmJobs.Folder(output), $"array-{number}.sh");
        var mergeScript = Path.Combine(SlurmJobs.Folder(output), $"merge-{number}.sh");
        WriteScript(arrayScript, JobScripts.ArrayScript(plan, resources, launcher));
        WriteScript(mergeScript, JobScripts.MergeScript(plan, resources, launcher));

        if (dryRun)
        {
            var commands = new[] { SlurmClient.DescribeSubmit(arrayScript, null), SlurmClient.DescribeSubmit(mergeScript, "<array job id>") };
            return new SubmitOutcome(plan, arrayScript, mergeScript, commands, null);
        }

        var arrayJob = client.Submit(arrayScript);
        var mergeJob = client.Submit(mergeScript, arrayJob);
        var submission = new SlurmSubmission(arrayJob, mergeJob, shardCount, shards.Order().ToList(), resources, arrayScript, mergeScript,
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        new SlurmJobs(plan.StudyPath, [.. previous?.Submissions ?? [], submission]).Write(output);
        return new SubmitOutcome(plan, arrayScript, mergeScript,
            [SlurmClient.DescribeSubmit(arrayScript, null), SlurmClient.DescribeSubmit(mergeScript, arrayJob)], submission);
    }

    private static void WriteScript(string path, string text)
    {
        Study.Outputs.AtomicFile.WriteText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
