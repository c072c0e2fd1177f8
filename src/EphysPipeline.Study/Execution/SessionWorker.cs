using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EphysPipeline.Core;

namespace EphysPipeline.Study.Execution;

/// <summary>What a worker process did with one session: its last stage, warnings, and why it died if it did.</summary>
public sealed record WorkerOutcome(string Stage, IReadOnlyList<string> Warnings, string? Crash);

/// <summary>
/// The protocol between the runner and its worker processes (`ephys worker`). The runner writes one line per session,
/// "id TAB fingerprint"; the worker analyses it, stores its results like an in-process run, and answers with lines
/// prefixed <see cref="Prefix"/>: stage, progress, warning, then done (or write-failed PATH CAUSE, or oom, and exits).
/// </summary>
public static class SessionWorker
{
    public const string Prefix = "ephys-worker\t";

    /// <summary>
    /// Worker side: serves sessions from <paramref name="input"/> until it closes, answering on <paramref name="channel"/>
    /// (which <paramref name="runner"/> reports to). Returns the exit code.
    /// </summary>
    public static int Serve(StudyRunner runner, Manifest.StudyManifest manifest, MemoryBudget budget, int threads, TextReader input, ProtocolReporter channel)
    {
        while (input.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            var spec = manifest.Sessions.First(s => s.Id == parts[0]);
            try
            {
                runner.RunSession(spec, parts[1], budget, threads);
            }
            catch (OutputWriteException e)
            {
                channel.Send("write-failed", e.Path, e.Cause);
                return 1;
            }
            catch (OutOfMemoryException)
            {
                // The process is not to be trusted after this: say so and go; the runner records it and starts another.
                channel.Send("oom");
                return 3;
            }
            channel.Send("done");
        }
        return 0;
    }

    /// <summary>Forwards a worker's reports to the runner as protocol lines (one writer, several analysis threads).</summary>
    public sealed class ProtocolReporter(TextWriter output) : IRunReporter
    {
        public void Send(params string[] fields)
        {
            var text = Prefix + string.Join('\t', fields.Select(f => f.Replace('\t', ' ').Replace('\n', ' ')));
            lock (output)
            {
                output.WriteLine(text);
                output.Flush();
            }
        }

        public void Planned(int total, int skipped) { }
        public void SessionStarted(string session) { }
        public void SessionProgress(string session, double fraction) => Send("progress", fraction.ToString("R", CultureInfo.InvariantCulture));
        public void SessionFinished(string session, bool ok, string? reason) { }
        public void Warning(string session, string message) => Send("warning", message);
        public void SessionStage(string session, string stage) => Send("stage", stage);
    }
}

/// <summary>
/// One long-lived worker process per job slot, so each pays its start-up and JIT once per run, not once per session.
/// A worker that dies takes only its session with it; the next session gets a fresh one.
/// </summary>
public sealed class WorkerPool(IReadOnlyList<string> command, string manifestPath, int threads, MemoryBudget budget, IRunReporter reporter) : IDisposable
{
    private readonly ConcurrentBag<Worker> _idle = [];
    private readonly ConcurrentBag<Worker> _all = [];

    /// <summary>Analyses a session in an idle (or new) worker; throws <see cref="OutputWriteException"/> when the worker could not write.</summary>
    public WorkerOutcome Analyse(string session, string fingerprint)
    {
        if (!_idle.TryTake(out var worker))
        {
            worker = new Worker(command, manifestPath, threads, budget);
            _all.Add(worker);
        }
        var outcome = worker.Analyse(session, fingerprint, reporter);
        if (worker.Alive) _idle.Add(worker);
        return outcome;
    }

    public void Dispose()
    {
        foreach (var worker in _all) worker.Dispose();
    }

    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _errorTail = new();

        public Worker(IReadOnlyList<string> command, string manifestPath, int threads, MemoryBudget budget)
        {
            var start = new ProcessStartInfo(command[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
            foreach (var arg in new[] { "worker", manifestPath, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                         "--budget", budget.BytesPerSession.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            _process = Process.Start(start) ?? throw new InvalidOperationException("could not start an ephys worker process");
            // The last lines of its stderr tell a .NET stack overflow ("Stack overflow.") from other deaths.
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_errorTail)
                {
                    _errorTail.Enqueue(e.Data);
                    if (_errorTail.Count > 20) _errorTail.Dequeue();
                }
            };
            _process.BeginErrorReadLine();
        }

        public bool Alive { get; private set; } = true;

        public WorkerOutcome Analyse(string session, string fingerprint, IRunReporter reporter)
        {
            var stage = "open";
            var warnings = new List<string>();
            try
            {
                _process.StandardInput.WriteLine($"{session}\t{fingerprint}");
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // Died before it read the session (broken pipe): reported below like any death.
            }
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (!line.StartsWith(SessionWorker.Prefix, StringComparison.Ordinal)) continue;
                var fields = line[SessionWorker.Prefix.Length..].Split('\t');
                switch (fields[0])
                {
                    case "stage":
                        stage = fields[1];
                        break;
                    case "progress":
                        reporter.SessionProgress(session, double.Parse(fields[1], CultureInfo.InvariantCulture));
                        break;
                    case "warning":
                        warnings.Add(fields[1]);
                        reporter.Warning(session, fields[1]);
                        break;
                    case "done":
                        return new WorkerOutcome(stage, warnings, null);
                    case "write-failed":
                        Exit();
                        throw new OutputWriteException(fields[1], fields[2]);
                    case "oom":
                        Exit();
                        return new WorkerOutcome(stage, warnings, "out of memory");
                }
            }
            Exit();
            return new WorkerOutcome(stage, warnings, DeathReason());
        }

        private void Exit()
        {
            Alive = false;
            _process.WaitForExit();
        }

        private string DeathReason()
        {
            string[] tail;
            lock (_errorTail) tail = [.. _errorTail];
            int code = _process.ExitCode;
            return ProcessDeath.Describe(code, tail) ?? $"worker exited with code {code}: {string.Join(" ", tail.TakeLast(2)).Trim()}";
        }

        public void Dispose()
        {
            if (Alive)
            {
                try { _process.StandardInput.Close(); }
                catch (IOException) { }
                if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill();
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
