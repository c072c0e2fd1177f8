using System.Diagnostics;
using System.Runtime;
using System.Runtime.ExceptionServices;
using EphysPipeline.Core;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>How a run is carried out.</summary>
public sealed record RunOptions
{
    /// <summary>Sessions analysed at once.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Threads for the whole run, shared by the sessions analysed at once (default: the CPU count).</summary>
    public int? Threads { get; init; }

    /// <summary>Redo sessions even when their results are up to date.</summary>
    public bool Force { get; init; }

    /// <summary>Only these session ids (null = all).</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Memory the run may use for sample blocks, across all jobs.</summary>
    public long MaxMemoryBytes { get; init; } = 1L << 30;

    /// <summary>This process's part of the study (index 1..count), or null for the whole study.</summary>
    public Shard? Shard { get; init; }

    /// <summary>The command line, for provenance.json.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>
    /// How to start `ephys` (executable and leading arguments) to analyse each session in a worker process, so a
    /// native crash, stack overflow or out-of-memory costs that session only; null analyses in this process.
    /// </summary>
    public IReadOnlyList<string>? WorkerCommand { get; init; }
}

/// <summary>Shard i of n (1-based), for splitting a study over cluster tasks.</summary>
public sealed record Shard(int Index, int Count);

/// <summary>A session that failed: where and why.</summary>
public sealed record SessionFailure(string Session, string Stage, string Reason);

/// <summary>What a run did.</summary>
public sealed record RunOutcome(int Selected, int Skipped, int Succeeded, IReadOnlyList<SessionFailure> Failures);

/// <summary>
/// Runs a study: each selected session is analysed in one streaming pass (sessions in parallel up to --jobs),
/// its results stored under output/sessions/&lt;id&gt;/ with a fingerprint so reruns skip finished work; a failing
/// session is recorded and the others go on. Then the study-level tables are assembled in manifest order, so the
/// outputs are the same bytes whatever the job count.
/// </summary>
public sealed class StudyRunner(StudyManifest manifest, AnalysisConfig config, ComputeBackends backends, IRunReporter reporter)
{
    private readonly string _configHash = ConfigLoader.Hash(config);
    private int _analysing;                // sessions of this process being analysed right now

    public RunOutcome Run(RunOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        AtomicFile.CreateDirectory(manifest.OutputDirectory);
        AtomicFile.CleanStaleTemporaries(manifest.OutputDirectory);
        StudyMerger.WritePointer(manifest);

        var selected = Select(options);
        var todo = new List<(SessionSpec Spec, string Fingerprint)>();
        foreach (var spec in selected)
        {
            var fingerprint = Fingerprint.OfSession(spec, manifest, _configHash);
            if (options.Force || !SessionStore.IsFinished(SessionStore.Folder(manifest.OutputDirectory, spec.Id), fingerprint))
                todo.Add((spec, fingerprint));
        }
        reporter.Planned(selected.Count, selected.Count - todo.Count);

        int jobs = Math.Max(1, options.Jobs);
        var budget = new MemoryBudget(options.MaxMemoryBytes / jobs);
        int threads = ThreadsPerSession(options, todo.Count);
        using var workers = options.WorkerCommand is { } command ? new WorkerPool(command, manifest.SourcePath, threads, budget, reporter) : null;
        var failures = new List<SessionFailure>();
        int succeeded = 0;
        ExceptionDispatchInfo? stopped = null;
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs }, (item, loop) =>
        {
            SessionFailure? failure;
            try
            {
                failure = workers is null ? RunSession(item.Spec, item.Fingerprint, budget, threads) : RunInWorker(workers, item.Spec, item.Fingerprint);
            }
            catch (Exception e)
            {
                // Not a session's fault (a disk that refuses writes): start no more sessions, let the running ones
                // finish (a finished one stays finished for the rerun), then report this one error.
                Interlocked.CompareExchange(ref stopped, ExceptionDispatchInfo.Capture(e), null);
                loop.Stop();
                return;
            }
            lock (failures)
            {
                if (failure is null) succeeded++;
                else failures.Add(failure);
            }
        });
        stopped?.Throw();
        failures.Sort((a, b) => IndexOf(a.Session).CompareTo(IndexOf(b.Session)));

        if (options.Shard is null)
            foreach (var (session, reason) in StudyMerger.Merge(manifest, config, options.CommandLine, started))
                reporter.Warning(session, reason);
        return new RunOutcome(selected.Count, selected.Count - todo.Count, succeeded, failures);
    }

    /// <summary>
    /// One thread budget for the run: the sessions that run at once share it, so sessions × threads never exceeds it
    /// (outputs are the same bits for any thread count).
    /// </summary>
    public static int ThreadsPerSession(RunOptions options, int sessions)
    {
        int total = Math.Max(1, options.Threads ?? Environment.ProcessorCount);
        int atOnce = Math.Clamp(Math.Min(options.Jobs, sessions), 1, total);
        return Math.Max(1, total / atOnce);
    }

    private int IndexOf(string session) => manifest.Sessions.ToList().FindIndex(s => s.Id == session);

    private List<SessionSpec> Select(RunOptions options)
    {
        IEnumerable<SessionSpec> sessions = manifest.Sessions;
        if (options.Only is { Count: > 0 } only)
        {
            var unknown = only.Where(id => manifest.Sessions.All(s => s.Id != id)).ToList();
            if (unknown.Count > 0) throw new EphysInputException(manifest.SourcePath, "--only", $"no session with id {string.Join(", ", unknown)}");
            sessions = sessions.Where(s => only.Contains(s.Id));
        }
        if (options.Shard is { } shard) sessions = ShardPlanner.Pick(sessions.ToList(), shard);
        return sessions.ToList();
    }

    /// <summary>Analyses one session in this process and stores its results (or its failure); what a worker process does.</summary>
    public SessionFailure? RunSession(SessionSpec spec, string fingerprint, MemoryBudget budget, int threads)
    {
        reporter.SessionStarted(spec.Id);
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var analyzer = new SessionAnalyzer(manifest, config, budget, threads, backends, fraction => reporter.SessionProgress(spec.Id, fraction),
            warning => { warnings.Add(warning); reporter.Warning(spec.Id, warning); },
            passEnded: () => { if (Volatile.Read(ref _analysing) == 1) ReleaseAnalysisMemory(); });
        reporter.SessionStage(spec.Id, analyzer.Stage);
        analyzer.StageChanged += stage => reporter.SessionStage(spec.Id, stage);
        SessionResult result;
        SessionFailure? failure = null;
        Interlocked.Increment(ref _analysing);
        try
        {
            result = analyzer.Analyze(spec);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var stage = analyzer.Stage;
            var reason = e is EphysInputException or SessionStageException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}";
            failure = new SessionFailure(spec.Id, stage, reason);
            result = new SessionResult { Summary = new SessionSummary("failed", stage, reason, double.NaN, double.NaN, 0, 0, [], []) { States = manifest.StateNames } };
        }
        finally
        {
            if (Interlocked.Decrement(ref _analysing) == 0) ReleaseAnalysisMemory();
        }
        var record = new SessionRecord(spec.Id, failure is null ? "ok" : "failed", failure?.Stage ?? "", failure?.Reason ?? "",
            fingerprint, Math.Round(clock.Elapsed.TotalSeconds, 3), warnings,
            result.Timings.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => Math.Round(t.Value.TotalSeconds, 4)),
            $"fft: {backends.Fft.Name}; blas: {backends.Blas.Name}");
        reporter.SessionStage(spec.Id, "writing");
        var key = new SessionKey(spec.Id, spec.Subject, spec.Drug, spec.DoseMgKg) { ProbeColumns = manifest.HasProbes, ProbeOf = result.ProbeOf };
        SessionStore.Write(SessionStore.Folder(manifest.OutputDirectory, spec.Id), key, result, record,
            (stream, spectra) => SpectraFile.Write(stream, spectra, threads));
        reporter.SessionFinished(spec.Id, failure is null, failure?.Reason);
        return failure;
    }

    /// <summary>
    /// The analysis' blocks, analytic stream and accumulators (GBs at 384 channels) are garbage once a pass ends; a
    /// compacting collection gives them back before the outputs are assembled and again before they are written, so
    /// neither adds to them. Only when no other session of this process is analysing (a worker runs one at a time;
    /// --in-process runs several): the collection stops every thread and would compact the others' live data.
    /// </summary>
    private static void ReleaseAnalysisMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>A session a worker analysed (it stored the results), or that killed its worker (recorded here).</summary>
    private SessionFailure? RunInWorker(WorkerPool workers, SessionSpec spec, string fingerprint)
    {
        reporter.SessionStarted(spec.Id);
        var clock = Stopwatch.StartNew();
        var folder = SessionStore.Folder(manifest.OutputDirectory, spec.Id);
        var outcome = workers.Analyse(spec.Id, fingerprint);
        SessionFailure? failure;
        if (outcome.Crash is { } crash)
        {
            failure = new SessionFailure(spec.Id, outcome.Stage, crash);
            var key = new SessionKey(spec.Id, spec.Subject, spec.Drug, spec.DoseMgKg) { ProbeColumns = manifest.HasProbes };
            var result = new SessionResult { Summary = new SessionSummary("failed", outcome.Stage, crash, double.NaN, double.NaN, 0, 0, [], []) { States = manifest.StateNames } };
            var record = new SessionRecord(spec.Id, "failed", outcome.Stage, crash, fingerprint, Math.Round(clock.Elapsed.TotalSeconds, 3), outcome.Warnings, new Dictionary<string, double>());
            SessionStore.Write(folder, key, result, record, null);
        }
        else
        {
            var record = SessionStore.ReadRecord(folder);
            failure = record is { Status: "ok" } ? null
                : new SessionFailure(spec.Id, record?.Stage ?? outcome.Stage, record?.Reason ?? "the worker stored no result");
        }
        reporter.SessionFinished(spec.Id, failure is null, failure?.Reason);
        return failure;
    }
}

/// <summary>A data problem found while a session was being analysed, with the stage it happened in.</summary>
public sealed class SessionStageException(string stage, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Stage { get; } = stage;
}
