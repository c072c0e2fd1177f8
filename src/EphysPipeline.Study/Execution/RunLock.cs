using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using EphysPipeline.Core;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Keeps two runs off one output folder. A run holds output/.ephys-run.lock (a shard i/n holds
/// .ephys-run-shard-i-of-n.lock, so the tasks of one Slurm array share the folder but a second array does not), with
/// its pid, host and start time, created atomically and touched every 30 s while held. A lock is stale, and taken over,
/// when its process is gone (same host) or it has not been touched for 5 minutes (another host, e.g. a node killed).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string WholeRun = ".ephys-run.lock";
    private const string Prefix = ".ephys-run";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    private readonly string _path;
    private readonly Timer _heartbeat;

    private RunLock(string path, IReadOnlyList<Holder> takenOver)
    {
        _path = path;
        TakenOver = takenOver;
        _heartbeat = new Timer(_ => Touch(), null, Heartbeat, Heartbeat);
    }

    /// <summary>Stale locks this one replaced (for a warning).</summary>
    public IReadOnlyList<Holder> TakenOver { get; }

    /// <summary>Who holds a lock: process, host and when it started.</summary>
    public sealed record Holder(
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("host")] string Host,
        [property: JsonPropertyName("started_utc")] DateTimeOffset Started)
    {
        public override string ToString() => $"pid {Pid} on host {Host}, started {Started:yyyy-MM-dd HH:mm:ss} UTC";
    }

    /// <summary>The lock file a run (or shard) takes.</summary>
    public static string FileName(Shard? shard) => shard is null ? WholeRun : $"{Prefix}-shard-{shard.Index}-of-{shard.Count}.lock";

    /// <summary>
    /// Takes the lock for a run (or a shard) of the study in <paramref name="outputDirectory"/>, or throws
    /// <see cref="EphysInputException"/> naming the live holder. A whole run also waits for no shard, and a shard for no whole run.
    /// </summary>
    public static RunLock Acquire(string outputDirectory, Shard? shard)
    {
        AtomicFile.CreateDirectory(outputDirectory);
        var own = Path.Combine(outputDirectory, FileName(shard));
        var takenOver = new List<Holder>();
        var me = new Holder(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow);
        for (int attempt = 0; ; attempt++)
        {
            if (TryCreate(own, me)) break;
            var holder = Read(own);
            // Unreadable: another run is writing it this moment, or was killed while writing it (then it stays so).
            if (holder is null && attempt < 5)
            {
                Thread.Sleep(200);
                continue;
            }
            if (holder is not null && !IsStale(own, holder) || attempt >= 8) throw Busy(outputDirectory, own, holder);
            if (holder is not null) takenOver.Add(holder);
            AtomicFile.Delete(own);
        }
        // The other kind of lock: created first, checked second, so of two runs racing at least one sees the other.
        var others = shard is null
            ? Directory.GetFiles(outputDirectory, $"{Prefix}-shard-*.lock")
            : [Path.Combine(outputDirectory, WholeRun)];
        foreach (var other in others)
        {
            if (Read(other) is not { } holder) continue;
            if (IsStale(other, holder))
            {
                takenOver.Add(holder);
                AtomicFile.Delete(other);
                continue;
            }
            AtomicFile.Delete(own);
            throw Busy(outputDirectory, other, holder);
        }
        return new RunLock(own, takenOver);
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        try { File.Delete(_path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void Touch()
    {
        try { File.SetLastWriteTimeUtc(_path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool TryCreate(string path, Holder me)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            JsonSerializer.Serialize(stream, me);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputWriteException.From(path, e)!;
        }
    }

    // Null when the file is gone or unreadable (a holder killed while writing it): treated as stale.
    private static Holder? Read(string path)
    {
        try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    private static bool IsStale(string path, Holder holder)
    {
        if (holder.Host == Environment.MachineName) return !IsAlive(holder);
        try { return DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > StaleAfter; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return true; }
    }

    private static bool IsAlive(Holder holder)
    {
        if (holder.Pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            // A pid reused by a process that started after the lock was taken is not the holder.
            return !process.HasExited && process.StartTime.ToUniversalTime() <= holder.Started.UtcDateTime.AddSeconds(2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static EphysInputException Busy(string outputDirectory, string lockPath, Holder? holder) =>
        new(outputDirectory, null, holder is null
            ? $"another ephys run is starting on this output folder (lock {lockPath})"
            : $"in use by another ephys run ({holder}); wait for it to finish, or if it is no longer running delete {lockPath}");
}
