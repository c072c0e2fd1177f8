using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using EphysPipeline.Backends;
using EphysPipeline.Core;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using Spectre.Console;

namespace EphysPipeline.Cli.Commands;

/// <summary>`ephys run STUDY`: the main job — every session analysed, the study tables written.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var study = new Argument<FileInfo>("study") { Description = "Study manifest (YAML), e.g. sampledata/study.yaml" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Sessions analysed at once (default: CPU count)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var force = new Option<bool>("--force") { Description = "Redo sessions whose results are up to date" };
        var only = new Option<string[]>("--only") { Description = "Only these session ids", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int?>("--threads") { Description = "Threads in all, shared by the sessions analysed at once (default: CPU count)" };
        var maxMemory = new Option<string>("--max-memory") { Description = "Memory for sample blocks across all jobs, e.g. 512M, 2G", DefaultValueFactory = _ => "1G" };
        var shard = new Option<string?>("--shard") { Description = "Run only shard i of n (i/n) and skip the study-level merge (see ephys merge)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bars: one line per session (for batch logs)" };
        var inProcess = new Option<bool>("--in-process") { Description = "Analyse sessions in this process, not in worker processes (for debugging: a native crash then ends the run)" };
        var command = new Command("run", "Analyse a study: per session, epoch and channel metrics, then the study tables and comparison")
        {
            study, jobs, threads, force, only, maxMemory, shard, quiet, inProcess,
        };
        command.SetAction(parse =>
        {
            var manifest = ManifestLoader.Load(parse.GetValue(study)!.FullName);
            var config = ConfigLoader.Load(manifest.AnalysisPath);
            var options = new RunOptions
            {
                Jobs = Math.Max(1, parse.GetValue(jobs)),
                Threads = parse.GetValue(threads) is { } t ? Math.Max(1, t) : null,
                Force = parse.GetValue(force),
                Only = parse.GetValue(only),
                MaxMemoryBytes = ParseBytes(parse.GetValue(maxMemory)!),
                Shard = ParseShard(parse.GetValue(shard)),
                CommandLine = "ephys " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                WorkerCommand = parse.GetValue(inProcess) ? null : SelfProcess.Command(),
            };
            var backends = SelectBackends(config);
            using var runLock = Locked(manifest.OutputDirectory, options.Shard);
            var outcome = Execute(manifest, config, backends, options, parse.GetValue(quiet) || Console.IsErrorRedirected || Console.IsOutputRedirected);
            int code = Report(manifest, outcome);
            if (options.Shard is null) code = Math.Max(code, CompareStep.Run(manifest.OutputDirectory));
            return code;
        });
        return command;
    }

    /// <summary>The run's backends (execution.fft / blas, EPHYS_FFT / EPHYS_BLAS); a fallback's warning goes to stderr once.</summary>
    internal static ComputeBackends SelectBackends(AnalysisConfig config)
    {
        var selection = BackendSelector.Select(config.Execution.Fft, config.Execution.Blas);
        foreach (var warning in selection.Warnings) Console.Error.WriteLine($"ephys: warning: {warning}");
        return selection.Backends;
    }

    /// <summary>Takes the output folder's run lock (a second run gets an error naming the holder) for the whole command.</summary>
    internal static RunLock Locked(string outputDirectory, Shard? shard)
    {
        var runLock = RunLock.Acquire(outputDirectory, shard);
        foreach (var gone in runLock.TakenOver)
            Console.Error.WriteLine($"warning: took over the lock of a run that is no longer running ({gone})");
        return runLock;
    }

    internal static RunOutcome Execute(StudyManifest manifest, AnalysisConfig config, ComputeBackends backends, RunOptions options, bool quiet)
    {
        if (quiet)
        {
            var reporter = new LineReporter();
            return new StudyRunner(manifest, config, backends, reporter).Run(options);
        }
        var live = new LiveReporter();
        RunOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var overall = ctx.AddTask("[bold]sessions[/]", maxValue: 1);
                var work = Task.Run(() => new StudyRunner(manifest, config, backends, live).Run(options));
                var bars = new Dictionary<string, ProgressTask>();
                while (!work.IsCompleted)
                {
                    live.Draw(ctx, overall, bars);
                    Thread.Sleep(100);
                }
                live.Draw(ctx, overall, bars);
                outcome = work.GetAwaiter().GetResult();
            });
        return outcome!;
    }

    private static int Report(StudyManifest manifest, RunOutcome outcome)
    {
        var err = Console.Error;
        err.WriteLine($"{manifest.Name}: {outcome.Succeeded} analysed, {outcome.Skipped} up to date, {outcome.Failures.Count} failed (of {outcome.Selected})");
        foreach (var f in outcome.Failures) err.WriteLine($"  FAILED {f.Session} [{f.Stage}]: {f.Reason}");
        err.WriteLine($"outputs: {manifest.OutputDirectory}");
        return outcome.Failures.Count == 0 ? 0 : 1;
    }

    internal static long ParseBytes(string text)
    {
        var t = text.Trim().ToUpperInvariant().TrimEnd('B');
        long unit = t.EndsWith('K') ? 1L << 10 : t.EndsWith('M') ? 1L << 20 : t.EndsWith('G') ? 1L << 30 : 1;
        if (unit > 1) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0))
            throw new Core.EphysInputException(null, "--max-memory", $"'{text}' is not a size (e.g. 512M, 2G)");
        return (long)(value * unit);
    }

    internal static Shard? ParseShard(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new Core.EphysInputException(null, "--shard", $"'{text}' is not i/n with 1 ≤ i ≤ n");
    }

    /// <summary>One line per event on stderr, for batch logs.</summary>
    private sealed class LineReporter : IRunReporter
    {
        private int _done;
        private int _total;

        public void Planned(int total, int skipped)
        {
            _total = total - skipped;
            Console.Error.WriteLine($"{total} session(s): {skipped} up to date, {_total} to analyse");
        }

        public void SessionStarted(string session) { }

        public void SessionProgress(string session, double fraction) { }

        public void SessionFinished(string session, bool ok, string? reason)
        {
            int done = Interlocked.Increment(ref _done);
            Console.Error.WriteLine(ok ? $"[{done}/{_total}] {session}: ok" : $"[{done}/{_total}] {session}: FAILED: {reason}");
        }

        public void Warning(string session, string message) => Console.Error.WriteLine($"{session}: warning: {message}");
    }

    /// <summary>Collects progress from worker threads; the UI thread draws it.</summary>
    private sealed class LiveReporter : IRunReporter
    {
        private readonly ConcurrentDictionary<string, double> _running = new();
        private readonly ConcurrentQueue<string> _messages = new();
        private int _total = 1;
        private int _done;

        public void Planned(int total, int skipped)
        {
            _total = Math.Max(1, total - skipped);
            _messages.Enqueue($"{total} session(s): {skipped} up to date, {total - skipped} to analyse");
        }

        public void SessionStarted(string session) => _running[session] = 0;

        public void SessionProgress(string session, double fraction) => _running[session] = fraction;

        public void SessionFinished(string session, bool ok, string? reason)
        {
            _running.TryRemove(session, out _);
            Interlocked.Increment(ref _done);
            _messages.Enqueue(ok ? $"[green]✓[/] {Markup.Escape(session)}" : $"[red]✗ {Markup.Escape(session)}: {Markup.Escape(reason ?? "")}[/]");
        }

        public void Warning(string session, string message) =>
            _messages.Enqueue($"[yellow]{Markup.Escape(session)}: {Markup.Escape(message)}[/]");

        public void Draw(ProgressContext ctx, ProgressTask overall, Dictionary<string, ProgressTask> bars)
        {
            while (_messages.TryDequeue(out var message)) AnsiConsole.MarkupLine(message);
            var running = _running.ToArray();
            overall.Value = Math.Min(1, (_done + running.Sum(r => r.Value)) / _total);
            foreach (var (session, fraction) in running)
            {
                if (!bars.TryGetValue(session, out var bar)) bars[session] = bar = ctx.AddTask(Markup.Escape(session), maxValue: 1);
                bar.Value = fraction;
            }
            foreach (var session in bars.Keys.Where(k => !_running.ContainsKey(k)).ToList())
            {
                bars[session].Value = 1;
                bars[session].StopTask();
                bars.Remove(session);
            }
        }
    }
}
