using System.Text.RegularExpressions;
using EphysPipeline.Core;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Outputs;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>
/// Output on a full or read-only filesystem (a real tmpfs): exit 1 with one line naming the path and the cause, no
/// temporary file left, finished sessions intact, and a rerun after freeing space resumes to the same bytes.
/// </summary>
[Collection(SyntheticStudyCollection.Name)]
public class DiskFaultTests(SyntheticStudyFixture study)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly string[] StudyFiles = [Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions, SessionStore.SpectraFile];
    private static readonly string[] SessionFiles = [Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions, SessionStore.SpectraFile];

    /// <summary>A copy of the study whose output folder is <paramref name="output"/>.</summary>
    private string StudyWithOutput(string name, string output)
    {
        var manifest = study.CopyStudy(name);
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, Regex.Replace(text, "^output: .*$", $"output: {output}", RegexOptions.Multiline));
        return manifest;
    }

    private static long Bytes(string directory) => Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private void AssertSame(string expected, string actual, string what) =>
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{what} differs");

    [RootFact]
    public void FullDiskStopsWithOneLineThenRerunResumesToTheSameOutputs()
    {
        // Sizes that run out in the sessions, in the study merge and at the report: each write path in turn.
        long total = Bytes(study.Output);
        foreach (var fraction in new[] { 0.15, 0.55, 0.97 })
        {
            using var disk = new Tmpfs($"{total * fraction / 1024:F0}k");
            var output = Path.Combine(disk.Path, "out");
            var manifest = StudyWithOutput($"full-{fraction}", output);

            var full = EphysProcess.Run(Limit, "run", manifest, "--jobs", "2", "--quiet");
            Assert.True(full.ExitCode == 1, $"exit {full.ExitCode} at {fraction:P0}: {full.StandardError}");
            var line = Assert.Single(full.ErrorLines);
            Assert.Matches($"^ephys: no space left on device while writing {Regex.Escape(output)}/\\S+$", line);
            Assert.Empty(Directory.GetFiles(disk.Path, "*.tmp-*", SearchOption.AllDirectories));

            var finished = study.Manifest.Sessions.Where(s => SessionStore.IsFinishedAnyFingerprint(SessionStore.Folder(output, s.Id))).ToList();
            foreach (var session in finished)
                foreach (var file in SessionFiles)
                    AssertSame(Path.Combine(study.Output, "sessions", session.Id, file), Path.Combine(output, "sessions", session.Id, file), $"{session.Id}/{file}");

            disk.Remount("size=256m");
            var rerun = EphysProcess.Run(Limit, "run", manifest, "--jobs", "2", "--quiet");
            Assert.True(rerun.ExitCode == 0, rerun.StandardError);
            Assert.Contains($"{study.Manifest.Sessions.Count} session(s): {finished.Count} up to date", rerun.StandardError);
            foreach (var file in StudyFiles) AssertSame(Path.Combine(study.Output, file), Path.Combine(output, file), file);
            Assert.True(File.Exists(Path.Combine(output, "report.html")));
        }
    }

    [RootFact]
    public void ReadOnlyDiskGivesOneLineAndKeepsEarlierOutputs()
    {
        using (var disk = new Tmpfs("64m", readOnly: true))
        {
            var output = Path.Combine(disk.Path, "out");
            var result = EphysProcess.Run(Limit, "run", StudyWithOutput("ro-empty", output), "--quiet");
            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"ephys: read-only file system while writing {output}", Assert.Single(result.ErrorLines));
        }
        using (var disk = new Tmpfs("64m"))
        {
            var output = Path.Combine(disk.Path, "out");
            var manifest = StudyWithOutput("ro-later", output);
            Assert.Equal(0, EphysProcess.Run(Limit, "run", manifest, "--quiet").ExitCode);
            disk.Remount("ro");
            var forced = EphysProcess.Run(Limit, "run", manifest, "--quiet", "--force");
            Assert.Equal(1, forced.ExitCode);
            Assert.Matches($"^ephys: read-only file system while writing {Regex.Escape(output)}/\\S+$", Assert.Single(forced.ErrorLines));
            foreach (var file in StudyFiles) AssertSame(Path.Combine(study.Output, file), Path.Combine(output, file), file);
        }
    }

    [Theory]
    [InlineData(28, "no space left on device")]
    [InlineData(30, "read-only file system")]
    [InlineData(5, "input/output error")]
    [InlineData(122, "disk quota exceeded")]
    public void SystemErrorsNameTheCause(int errno, string cause)
    {
        var error = OutputWriteException.From("/out/metrics.csv", new IOException("whatever .NET says", errno));
        Assert.Equal($"{cause} while writing /out/metrics.csv", error!.Message);
    }

    [Fact]
    public void PermissionDeniedAndLibhdf5ErrnoAreWriteFailures()
    {
        Assert.Equal("permission denied while writing /out/x.csv",
            OutputWriteException.From("/out/x.csv", new UnauthorizedAccessException("Access to the path is denied."))!.Message);
        var hdf5 = new Exception("H5Dwrite_chunk(power): file write failed: time = x, filename = 'a', file descriptor = 5, errno = 5, error message = 'Input/output error'");
        Assert.Equal("input/output error while writing /out/spectra.h5", OutputWriteException.From("/out/spectra.h5", hdf5)!.Message);
        Assert.Null(OutputWriteException.From("/out/spectra.h5", new InvalidOperationException("not a disk problem")));
    }
}
