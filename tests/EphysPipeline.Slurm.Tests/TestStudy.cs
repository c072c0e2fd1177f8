using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Slurm.Tests;

/// <summary>
/// A study on disk for status and resubmit tests: recordings of distinct sizes (the manifest loader and the shard
/// plan look only at existence and size; nothing here opens them as NWB), and per-session status files written the way
/// the runner writes them.
/// </summary>
internal sealed class TestStudy : IDisposable
{
    private readonly TempDirectory _dir = Fixtures.TempDir();

    public TestStudy(string folderName = "study", params int[] sizes)
    {
        Root = Path.Combine(_dir.Path, folderName);
        Directory.CreateDirectory(Root);
        if (sizes.Length == 0) sizes = [5000, 4000, 3000, 2000, 1000];
        var yaml = new StringBuilder("schema: 1\nstudy: test study\noutput: out put\nepochs:\n  baseline: [-100, -10]\n  acute: [10, 100]\nsessions:\n");
        for (int i = 0; i < sizes.Length; i++)
        {
            var file = $"s{i}.nwb";
            File.WriteAllBytes(Path.Combine(Root, file), Enumerable.Range(0, sizes[i]).Select(b => (byte)(b * 7 + i)).ToArray());
            yaml.Append($"  - id: s{i}\n    file: {file}\n    subject: m{i}\n    drug: {(i == 0 ? "saline" : "ketamine")}\n    injection_s: 200\n");
        }
        ManifestPath = Path.Combine(Root, "study.yaml");
        File.WriteAllText(ManifestPath, yaml.ToString());
        Manifest = ManifestLoader.Load(ManifestPath);
        Config = ConfigLoader.Load(Manifest.AnalysisPath);
    }

    public string Root { get; }
    public string ManifestPath { get; }
    public StudyManifest Manifest { get; }
    public AnalysisConfig Config { get; }

    public SessionSpec Session(string id) => Manifest.Sessions.Single(s => s.Id == id);

    /// <summary>Writes a session's status file as the runner does; a finished one carries the current fingerprint unless told otherwise.</summary>
    public void Record(string id, string status, string? fingerprint = null)
    {
        var spec = Session(id);
        var folder = SessionStore.Folder(Manifest.OutputDirectory, id);
        Directory.CreateDirectory(folder);
        var record = new SessionRecord(id, status, status == "ok" ? "" : "open", status == "ok" ? "" : "cannot be opened as HDF5",
            fingerprint ?? Fingerprint.OfSession(spec, Manifest, ConfigLoader.Hash(Config)), 1.0, []);
        File.WriteAllText(Path.Combine(folder, SessionStore.StatusFile), JsonSerializer.Serialize(record));
    }

    /// <summary>
    /// A folder of stand-in executables, each a bash script, for a PATH put in front of the real one: the code under
    /// test starts them as separate processes exactly as it starts the real sbatch and squeue.
    /// </summary>
    public string Tools(params (string Name, string Body)[] tools)
    {
        var bin = Path.Combine(_dir.Path, "bin");
        Directory.CreateDirectory(bin);
        foreach (var (name, body) in tools)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        return bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
    }

    public string TempFile(string name) => _dir.File(name);

    /// <summary>Runs bash on a script with extra environment variables; fails the test if it fails.</summary>
    public static void Bash(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bash {script} failed: {error}");
    }

    public void Dispose() => _dir.Dispose();
}
