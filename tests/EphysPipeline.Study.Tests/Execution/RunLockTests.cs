using System.Diagnostics;
using System.Text.Json;
using EphysPipeline.Core;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>Two runs on one output folder: the second is refused naming the holder; a killed run's lock is taken over.</summary>
[Collection(SyntheticStudyCollection.Name)]
public class RunLockTests(SyntheticStudyFixture study)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static Process StartRunAndWaitForLock(string manifest, string output)
    {
        var process = Process.Start(EphysProcess.StartInfo("run", manifest, "--jobs", "1", "--quiet"))!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var lockPath = Path.Combine(output, RunLock.WholeRun);
        // Written: created and filled with its holder (the file exists a moment before its content).
        while (!(File.Exists(lockPath) && new FileInfo(lockPath).Length > 0) && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.False(process.HasExited, "the first run ended before the second started");
        return process;
    }

    [Fact]
    public void SecondRunIsRefusedNamingTheHolderAndTheFirstIsUnharmed()
    {
        var manifest = study.CopyStudy("lock-busy");
        var output = ManifestLoader.Load(manifest).OutputDirectory;
        using var first = StartRunAndWaitForLock(manifest, output);

        var second = EphysProcess.Run(Limit, "run", manifest, "--quiet");
        Assert.Equal(1, second.ExitCode);
        var line = Assert.Single(second.ErrorLines);
        Assert.Contains($"in use by another ephys run (pid {first.Id} on host {Environment.MachineName}", line);

        Assert.True(first.WaitForExit(Limit));
        Assert.Equal(0, first.ExitCode);
        Assert.False(File.Exists(Path.Combine(output, RunLock.WholeRun)), "the lock is released at the end");
        foreach (var file in new[] { Tables.Metrics, Tables.Pairs, Tables.Sessions, SessionStore.SpectraFile })
            Assert.True(File.ReadAllBytes(Path.Combine(study.Output, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), file);
    }

    [Fact]
    public void LockOfAKilledRunIsTakenOver()
    {
        var manifest = study.CopyStudy("lock-stale");
        var output = ManifestLoader.Load(manifest).OutputDirectory;
        int pid;
        using (var first = StartRunAndWaitForLock(manifest, output))
        {
            pid = first.Id;
            first.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
            first.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(output, RunLock.WholeRun)));

        var rerun = EphysProcess.Run(Limit, "run", manifest, "--quiet");
        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.Contains($"took over the lock of a run that is no longer running (pid {pid} on host {Environment.MachineName}", rerun.StandardError);
        Assert.False(File.Exists(Path.Combine(output, RunLock.WholeRun)));
    }

    [Fact]
    public void ShardsOfOneArrayShareTheFolderButNotWithAWholeRunOrASecondArray()
    {
        using var dir = Fixtures.TempDir();
        using (RunLock.Acquire(dir.Path, new Shard(1, 2)))
        using (RunLock.Acquire(dir.Path, new Shard(2, 2)))
        {
            Assert.Throws<EphysInputException>(() => RunLock.Acquire(dir.Path, new Shard(1, 2)));
            Assert.Throws<EphysInputException>(() => RunLock.Acquire(dir.Path, null));
        }
        using (RunLock.Acquire(dir.Path, null))
            Assert.Throws<EphysInputException>(() => RunLock.Acquire(dir.Path, new Shard(2, 2)));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.lock"));
    }

    [Fact]
    public void LockOfAnotherHostIsStaleOnlyWhenNoLongerTouched()
    {
        using var dir = Fixtures.TempDir();
        var path = Path.Combine(dir.Path, RunLock.WholeRun);
        File.WriteAllText(path, JsonSerializer.Serialize(new RunLock.Holder(1, "node-17", DateTimeOffset.UtcNow)));
        var error = Assert.Throws<EphysInputException>(() => RunLock.Acquire(dir.Path, null));
        Assert.Contains("pid 1 on host node-17", error.Message);

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-10));
        using var taken = RunLock.Acquire(dir.Path, null);
        Assert.Equal("node-17", Assert.Single(taken.TakenOver).Host);
    }
}
