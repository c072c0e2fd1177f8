using EphysPipeline.Cli;
using EphysPipeline.Cli.Commands;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>
/// Each session is analysed in a worker process: a native crash, a stack overflow or an out-of-memory in one session
/// is recorded against it (stage and reason in sessions.csv) and the others finish with the same results.
/// </summary>
[Collection(SyntheticStudyCollection.Name)]
public class WorkerIsolationTests(SyntheticStudyFixture study)
{
    private const string Victim = "m02-ketamine";

    [Theory]
    [InlineData("segv", "crashed: signal 11")]
    [InlineData("stackoverflow", "crashed: stack overflow")]
    [InlineData("oom", "out of memory")]
    public void ACrashingSessionFailsAloneAndTheOthersFinish(string fault, string reason)
    {
        var manifest = study.CopyStudy($"crash-{fault}");
        var environment = new Dictionary<string, string> { [WorkerCommand.FaultVariable] = $"{Victim}:{fault}" };
        // A heap limit makes the out-of-memory quick and keeps it from touching the machine's other work.
        if (fault == "oom") environment["DOTNET_GCHeapHardLimit"] = "0x20000000";
        var result = EphysProcess.Run(TimeSpan.FromMinutes(3), environment, "run", manifest, "--jobs", "2", "--quiet");

        Assert.True(result.ExitCode == 1, result.StandardError);
        Assert.Contains($"FAILED {Victim} [analysis]: {reason}", result.StandardError);
        var output = ManifestLoader.Load(manifest).OutputDirectory;
        var rows = File.ReadAllLines(Path.Combine(output, Tables.Sessions)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        Assert.Contains(rows, r => r[0] == Victim && r[4] == "failed" && r[5] == "analysis" && r[6] == reason);
        foreach (var ok in study.Manifest.Sessions.Where(s => s.Id != Victim))
        {
            Assert.Contains(rows, r => r[0] == ok.Id && r[4] == "ok");
            Assert.True(File.ReadAllBytes(Path.Combine(study.Output, "sessions", ok.Id, Tables.Metrics)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(output, "sessions", ok.Id, Tables.Metrics))), ok.Id);
        }

        // The crash is recorded as a failure, so a rerun without the fault redoes that session only.
        var rerun = EphysProcess.Run(TimeSpan.FromMinutes(3), "run", manifest, "--quiet");
        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.Contains($"{study.Manifest.Sessions.Count} session(s): {study.Manifest.Sessions.Count - 1} up to date", rerun.StandardError);
    }

    [Theory]
    [InlineData("segv", "crashed: signal 11")]
    [InlineData("stackoverflow", "crashed: stack overflow")]
    public void ValidateRecordsACrashAgainstItsSessionAndChecksTheOthers(string fault, string reason)
    {
        var manifest = study.CopyStudy($"validate-{fault}");
        var environment = new Dictionary<string, string> { [FaultInjection.ProbeVariable] = $"{Victim}:{fault}" };
        var result = EphysProcess.Run(TimeSpan.FromMinutes(2), environment, "validate", manifest);

        Assert.True(result.ExitCode == 1, result.StandardError);
        Assert.Contains("1 problem(s)", result.StandardError);
        var file = ManifestLoader.Load(manifest).Sessions.Single(s => s.Id == Victim).File;
        Assert.Contains($"{Victim}: {file}: {reason} while reading it", result.StandardError);
        // The sessions after the crash are still checked: a broken last file is found too.
        var sessions = ManifestLoader.Load(manifest).Sessions;
        Assert.NotEqual(Victim, sessions[^1].Id);
        File.WriteAllText(sessions[^1].File, "not an HDF5 file");
        var both = EphysProcess.Run(TimeSpan.FromMinutes(2), environment, "validate", manifest);
        Assert.Contains("2 problem(s)", both.StandardError);
        Assert.Contains($"{Victim}: {file}: {reason} while reading it", both.StandardError);
        Assert.Contains($"{sessions[^1].Id}: {sessions[^1].File}", both.StandardError);
    }

    [Fact]
    public void InspectReportsACrashAsTheFilesError()
    {
        var file = study.Manifest.Sessions.Single(s => s.Id == Victim).File;
        var environment = new Dictionary<string, string> { [FaultInjection.ProbeVariable] = $"{Path.GetFileName(file)}:segv" };
        var result = EphysProcess.Run(TimeSpan.FromMinutes(1), environment, "inspect", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"ephys: {file}: crashed: signal 11 while reading it: the file is damaged or malformed (libhdf5 could not parse it)"], result.ErrorLines);
        Assert.Equal(0, EphysProcess.Run(TimeSpan.FromMinutes(1), "inspect", file).ExitCode);
    }
}
