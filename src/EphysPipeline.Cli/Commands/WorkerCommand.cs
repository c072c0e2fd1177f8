using System.CommandLine;
using System.Runtime.InteropServices;
using EphysPipeline.Backends;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys worker STUDY` (hidden): the process `ephys run` analyses sessions in, one per job, so that a crash in
/// native code costs one session. Speaks <see cref="SessionWorker"/>'s line protocol on stdin/stdout.
/// </summary>
public static partial class WorkerCommand
{
    /// <summary>
    /// Fault injection for the isolation tests and for trying it by hand: "SESSION:segv|stackoverflow|oom" makes the
    /// worker fail that way when SESSION enters its analysis stage.
    /// </summary>
    public const string FaultVariable = "EPHYS_WORKER_FAULT";

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
            IRunReporter reporter = Environment.GetEnvironmentVariable(FaultVariable) is { Length: > 0 } fault ? new Faulty(channel, fault) : channel;
            // The same config and environment as the parent's, so the same backends; the parent already printed any warning.
            var backends = BackendSelector.Select(config.Execution.Fft, config.Execution.Blas).Backends;
            var runner = new StudyRunner(manifest, config, backends, reporter);
            return SessionWorker.Serve(runner, manifest, new MemoryBudget(parse.GetValue(budget)), Math.Max(1, parse.GetValue(threads)), Console.In, channel);
        });
        return command;
    }

    private sealed partial class Faulty(SessionWorker.ProtocolReporter inner, string fault) : IRunReporter
    {
        private readonly string _session = fault.Split(':')[0];
        private readonly string _kind = fault.Split(':').ElementAtOrDefault(1) ?? "";

        public void Planned(int total, int skipped) => inner.Planned(total, skipped);
        public void SessionStarted(string session) => inner.SessionStarted(session);
        public void SessionProgress(string session, double fraction) => inner.SessionProgress(session, fraction);
        public void SessionFinished(string session, bool ok, string? reason) => inner.SessionFinished(session, ok, reason);
        public void Warning(string session, string message) => inner.Warning(session, message);

        public void SessionStage(string session, string stage)
        {
            inner.SessionStage(session, stage);
            if (session != _session || stage != "analysis") return;
            switch (_kind)
            {
                case "segv":
                    memset(IntPtr.Zero, 0, 8); // a write through a null pointer in native code, as libhdf5 does on some malformed metadata
                    break;
                case "stackoverflow":
                    Recurse(0);
                    break;
                case "oom":
                    var hoard = new List<byte[]>();
                    while (true) hoard.Add(GC.AllocateUninitializedArray<byte>(64 << 20, pinned: true));
            }
        }

        private static int Recurse(int depth) => Recurse(depth + 1) + 1;

        [LibraryImport("libc")]
        private static partial IntPtr memset(IntPtr destination, int value, nuint count);
    }
}
