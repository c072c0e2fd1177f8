using System.CommandLine;
using EphysPipeline.Backends;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys worker STUDY` (hidden): the process `ephys run` analyses sessions in, one per job, so that a crash in
/// native code costs one session. Speaks <see cref="SessionWorker"/>'s line protocol on stdin/stdout.
/// </summary>
public static class WorkerCommand
{
    /// <summary>Fault injection (<see cref="FaultInjection"/>): "SESSION:segv|stackoverflow|oom" kills the worker as SESSION enters its analysis stage.</summary>
    public const string FaultVariable = FaultInjection.WorkerVariable;

    public static Command Create()
    {
        var study = new Argument<FileInfo>("study");
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 1 };
        var budget = new Option<long>("--budget") { DefaultValueFactory = _ => 1L << 30 };
        var command = new Command("worker", "Analyse sessions sent on stdin (started by `ephys run`)") { study, threads, budget };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var manifest = ManifestLoader.Load(parse.GetValue(study)!.FullName);
            var config = ConfigLoader.Load(manifest.AnalysisPath);
            var channel = new SessionWorker.ProtocolReporter(Console.Out);
            IRunReporter reporter = Environment.GetEnvironmentVariable(FaultVariable) is { Length: > 0 } ? new Faulty(channel) : channel;
            // The same config and environment as the parent's, so the same backends; the parent already printed any warning.
            var backends = BackendSelector.Select(config.Execution.Fft, config.Execution.Blas).Backends;
            var runner = new StudyRunner(manifest, config, backends, reporter);
            return SessionWorker.Serve(runner, manifest, new MemoryBudget(parse.GetValue(budget)), Math.Max(1, parse.GetValue(threads)), Console.In, channel);
        });
        return command;
    }

    private sealed class Faulty(SessionWorker.ProtocolReporter inner) : IRunReporter
    {
        public void Planned(int total, int skipped) => inner.Planned(total, skipped);
        public void SessionStarted(string session) => inner.SessionStarted(session);
        public void SessionProgress(string session, double fraction) => inner.SessionProgress(session, fraction);
        public void SessionFinished(string session, bool ok, string? reason) => inner.SessionFinished(session, ok, reason);
        public void Warning(string session, string message) => inner.Warning(session, message);

        public void SessionStage(string session, string stage)
        {
            inner.SessionStage(session, stage);
            if (stage == "analysis") FaultInjection.At(FaultVariable, session);
        }
    }
}
