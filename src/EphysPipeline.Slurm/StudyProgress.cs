using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Slurm;

/// <summary>Where a session stands on disk.</summary>
public enum SessionState
{
    /// <summary>Results for exactly the current inputs (the file, its manifest entry, the config).</summary>
    Finished,

    /// <summary>The last attempt recorded a failure.</summary>
    Failed,

    /// <summary>Not run yet, interrupted, or its results are for older inputs.</summary>
    Pending,
}

/// <summary>A session, the shard (1-based) that runs it, its state and, when it failed, why.</summary>
public sealed record SessionProgress(string Session, int Shard, SessionState State, string? Reason);

/// <summary>The sessions of one shard.</summary>
public sealed record ShardProgress(int Shard, IReadOnlyList<SessionProgress> Sessions)
{
    public int Count(SessionState state) => Sessions.Count(s => s.State == state);

    public bool Done => Sessions.All(s => s.State == SessionState.Finished);
}

/// <summary>
/// The study's progress read from its output folder alone (no Slurm needed): each session's state, grouped by the
/// shard `ephys run --shard i/n` assigns it with the same plan (<see cref="ShardPlanner"/>) from the same files.
/// </summary>
public static class StudyProgress
{
    public static IReadOnlyList<ShardProgress> Of(StudyManifest manifest, AnalysisConfig config, int shardCount)
    {
        var plan = ShardPlanner.Plan(manifest.Sessions, shardCount);
        var configHash = ConfigLoader.Hash(config);
        var sessions = manifest.Sessions.Select((spec, i) => State(manifest, spec, configHash, plan[i] + 1)).ToList();
        return Enumerable.Range(1, shardCount)
            .Select(shard => new ShardProgress(shard, sessions.Where(s => s.Shard == shard).ToList()))
            .ToList();
    }

    /// <summary>The shards with a session that is not finished: what a resubmission must run again.</summary>
    public static IReadOnlyList<int> Unfinished(IReadOnlyList<ShardProgress> shards) =>
        shards.Where(s => !s.Done).Select(s => s.Shard).ToList();

    private static SessionProgress State(StudyManifest manifest, SessionSpec spec, string configHash, int shard)
    {
        var folder = SessionStore.Folder(manifest.OutputDirectory, spec.Id);
        var record = SessionStore.ReadRecord(folder);
        if (record is null) return new SessionProgress(spec.Id, shard, SessionState.Pending, null);
        if (record.Status != "ok") return new SessionProgress(spec.Id, shard, SessionState.Failed, $"[{record.Stage}] {record.Reason}");
        string fingerprint;
        try
        {
            fingerprint = Fingerprint.OfSession(spec, manifest, configHash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SessionProgress(spec.Id, shard, SessionState.Pending, $"input unreadable: {e.Message}");
        }
        return record.Fingerprint == fingerprint
            ? new SessionProgress(spec.Id, shard, SessionState.Finished, null)
            : new SessionProgress(spec.Id, shard, SessionState.Pending, "results are for older inputs or settings");
    }
}
