using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EphysPipeline.Cli.Commands;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Bench;

/// <summary>What the analysis child process measured about itself.</summary>
public sealed record ChildMeasurement(double WallSeconds, double CpuSeconds, long PeakBytes, int Failures, string? Failure);

/// <summary>
/// The analysis runs in its own process so its peak working set (VmHWM) is the analysis's alone, not the
/// generator's or the peers'. The child prints one JSON line; the parent parses it.
/// </summary>
public static class BenchChild
{
    public const string Marker = "ephys-bench-child:";

    /// <summary>Child side: the real runner on the bench manifest, every session redone.</summary>
    public static int Run(string manifestPath, int jobs)
    {
        var manifest = ManifestLoader.Load(manifestPath);
        var config = ConfigLoader.Load(manifest.AnalysisPath);
        var clock = Stopwatch.StartNew();
        var outcome = new StudyRunner(manifest, config, RunCommand.SelectBackends(config), SilentReporter.Instance)
            .Run(new RunOptions { Jobs = jobs, Threads = jobs, Force = true, CommandLine = "ephys bench" });
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var failure = outcome.Failures.Count == 0 ? null : $"{outcome.Failures[0].Session} [{outcome.Failures[0].Stage}]: {outcome.Failures[0].Reason}";
        Console.WriteLine(Marker + JsonSerializer.Serialize(new ChildMeasurement(wall, cpu, PeakWorkingSet(), outcome.Failures.Count, failure)));
        return outcome.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Parent side: starts this same executable in child mode and waits for its measurement.</summary>
    public static ChildMeasurement Start(string manifestPath, int jobs)
    {
        var self = SelfProcess.Command();
        var info = new ProcessStartInfo(self[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in self.Skip(1)) info.ArgumentList.Add(a);
        foreach (var a in new[] { "bench", "--child-manifest", manifestPath, "--jobs", jobs.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the analysis child");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (line is null)
            throw new InvalidOperationException($"analysis child exited with {process.ExitCode} without a measurement: {errors.Result.Trim()}");
        return JsonSerializer.Deserialize<ChildMeasurement>(line[Marker.Length..])!;
    }

    /// <summary>Peak resident set of this process (Linux VmHWM); -1 where /proc is missing.</summary>
    public static long PeakWorkingSet()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return -1;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return -1;
    }
}
