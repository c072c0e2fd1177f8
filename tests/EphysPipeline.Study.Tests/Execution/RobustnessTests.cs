using EphysPipeline.TestSupport;
using System.Diagnostics;
using EphysPipeline.Cli;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>Determinism across job counts, kill-and-resume, a corrupt session among good ones, reruns that skip.</summary>
[Collection(SyntheticStudyCollection.Name)]
public class RobustnessTests(SyntheticStudyFixture study)
{
    private static readonly string[] StudyFiles = [Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions, SessionStore.SpectraFile];

    private static RunOutcome Run(string manifestPath, int jobs = 1, bool force = false) =>
        new StudyRunner(ManifestLoader.Load(manifestPath), ConfigOf(manifestPath), TestBackends.Current, SilentReporter.Instance)
            .Run(new RunOptions { Jobs = jobs, Force = force });

    private static EphysPipeline.Study.Config.AnalysisConfig ConfigOf(string manifestPath) =>
        EphysPipeline.Study.Config.ConfigLoader.Load(ManifestLoader.Load(manifestPath).AnalysisPath);

    private static string OutputOf(string manifestPath) => ManifestLoader.Load(manifestPath).OutputDirectory;

    private void AssertSameOutputs(string output, IEnumerable<string>? sessions = null)
    {
        foreach (var file in StudyFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(study.Output, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))),
                $"{file} differs");
        foreach (var session in sessions ?? [])
            foreach (var file in StudyFiles)
                Assert.True(File.ReadAllBytes(Path.Combine(study.Output, "sessions", session, file)).AsSpan()
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(output, "sessions", session, file))), $"{session}/{file} differs");
    }

    [Fact]
    public void OneJobAndTwoJobsGiveByteIdenticalOutputs()
    {
        var manifest = study.CopyStudy("jobs1");
        var outcome = Run(manifest, jobs: 1);
        Assert.Empty(outcome.Failures);
        AssertSameOutputs(OutputOf(manifest), study.Manifest.Sessions.Select(s => s.Id));
    }

    [Fact]
    public void ReadingAheadGivesByteIdenticalOutputs()
    {
        // The fixture ran one thread per session (blocks read in line); four threads read each next block meanwhile.
        var manifest = study.CopyStudy("ahead");
        var outcome = new StudyRunner(ManifestLoader.Load(manifest), ConfigOf(manifest), TestBackends.Current, SilentReporter.Instance)
            .Run(new RunOptions { Jobs = 1, Threads = SessionAnalyzer.ReadAheadThreads });
        Assert.Empty(outcome.Failures);
        AssertSameOutputs(OutputOf(manifest), study.Manifest.Sessions.Select(s => s.Id));
    }

    [Fact]
    public void RerunSkipsFinishedSessionsAndForceRedoesThem()
    {
        var manifest = study.CopyStudy("rerun");
        Assert.Equal(8, Run(manifest).Succeeded);
        var again = Run(manifest);
        Assert.Equal(8, again.Skipped);
        Assert.Equal(0, again.Succeeded);
        var forced = Run(manifest, force: true);
        Assert.Equal(8, forced.Succeeded);
        AssertSameOutputs(OutputOf(manifest));
    }

    [Fact]
    public void KilledRunResumesToTheSameOutputs()
    {
        var manifest = study.CopyStudy("killed");
        var output = OutputOf(manifest);
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(dotnet, [typeof(EphysCli).Assembly.Location, "run", manifest, "--jobs", "1", "--quiet"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (var process = Process.Start(start)!)
        {
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && !process.HasExited &&
                   !(Directory.Exists(Path.Combine(output, "sessions")) &&
                     Directory.GetFiles(Path.Combine(output, "sessions"), SessionStore.StatusFile, SearchOption.AllDirectories).Length >= 2))
                Thread.Sleep(20);
            Assert.False(process.HasExited, "the run finished before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        int finished = study.Manifest.Sessions.Count(s => SessionStore.IsFinishedAnyFingerprint(SessionStore.Folder(output, s.Id)));
        Assert.InRange(finished, 2, 7);
        Assert.False(File.Exists(Path.Combine(output, Tables.Metrics)), "no study table before the run completes");

        var resumed = Run(manifest);
        Assert.Empty(resumed.Failures);
        Assert.Equal(finished, resumed.Skipped);
        Assert.Empty(Directory.GetFiles(output, "*.tmp-*", SearchOption.AllDirectories));
        AssertSameOutputs(output, study.Manifest.Sessions.Select(s => s.Id));
    }

    [Fact]
    public void CorruptSessionFailsAloneAndIsReported()
    {
        var manifest = study.CopyStudy("corrupt");
        var bad = Path.Combine(Path.GetDirectoryName(manifest)!, "m02_ketamine.nwb");
        using (var stream = new FileStream(bad, FileMode.Open)) stream.SetLength(stream.Length / 2);
        var outcome = Run(manifest, jobs: 2);
        var failure = Assert.Single(outcome.Failures);
        Assert.Equal("m02-ketamine", failure.Session);
        Assert.Contains("m02_ketamine.nwb", failure.Reason);
        Assert.Equal(7, outcome.Succeeded);

        var output = OutputOf(manifest);
        var sessions = File.ReadAllLines(Path.Combine(output, Tables.Sessions)).Skip(1).Select(CsvFormat.SplitLine).ToList();
        Assert.Contains(sessions, r => r[0] == "m02-ketamine" && r[4] == "failed" && r[6].Contains("m02_ketamine.nwb"));
        foreach (var ok in study.Manifest.Sessions.Where(s => s.Id != "m02-ketamine"))
            Assert.True(File.ReadAllBytes(Path.Combine(study.Output, "sessions", ok.Id, Tables.Metrics)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(output, "sessions", ok.Id, Tables.Metrics))), ok.Id);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(output, Tables.Metrics)), l => l.StartsWith("m02-ketamine,", StringComparison.Ordinal));
    }
}
