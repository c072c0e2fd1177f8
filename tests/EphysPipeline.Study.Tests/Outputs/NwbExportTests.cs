using System.Diagnostics;
using System.Security.Cryptography;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;
using EphysPipeline.Study.Tests.Execution;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Outputs;

/// <summary>outputs.nwb on the pynwb-written reference sessions, read back by hdmf (tests/fixtures/nwb_export/check_nwb.py).</summary>
public class NwbExportTests
{
    [Fact]
    public void EachSessionGetsAValidNwbFileEqualToItsTablesAndTheRecordingIsUntouched()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.yaml"), "outputs:\n  nwb: true\n");
        var manifest = ManifestLoader.Load(FixtureStudyTests.WriteStudy(dir, "config.yaml"));
        var before = manifest.Sessions.Select(s => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(s.File)))).ToList();
        var outcome = new StudyRunner(manifest, ConfigLoader.Load(manifest.AnalysisPath), TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 2 });
        Assert.Empty(outcome.Failures);
        Assert.Equal(before, manifest.Sessions.Select(s => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(s.File)))));

        foreach (var spec in manifest.Sessions)
        {
            var folder = SessionStore.Folder(manifest.OutputDirectory, spec.Id);
            var path = Path.Combine(folder, NwbExport.FileName);
            var start = new ProcessStartInfo("/usr/bin/python3", [Fixtures.PathOf("nwb_export/check_nwb.py"), path, folder])
                { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"hdmf could not read {path} (needs Debian's python3-hdmf; scripts/test.sh installs it): {error}");
            Assert.StartsWith("ok ", output);

            // Deterministic: written again from the same folder, the same bytes.
            var first = File.ReadAllBytes(path);
            File.Delete(path);
            Assert.Empty(NwbExport.WriteAll(manifest));
            Assert.Equal(first, File.ReadAllBytes(path));
        }
    }
}
