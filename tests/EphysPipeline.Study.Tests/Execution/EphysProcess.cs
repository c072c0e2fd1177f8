using System.Diagnostics;
using EphysPipeline.Cli;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>Runs the real `ephys` command line as a child process, as a user would.</summary>
internal static class EphysProcess
{
    public sealed record Result(int ExitCode, string StandardError)
    {
        public string StandardOutput { get; init; } = "";

        /// <summary>The lines the CLI prints for an error (they start with "ephys:").</summary>
        public IReadOnlyList<string> ErrorLines => StandardError.Split('\n').Where(l => l.StartsWith("ephys:", StringComparison.Ordinal)).ToList();
    }

    public static string Dotnet => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(EphysCli).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public static Result Run(TimeSpan limit, params string[] args) => Run(limit, new Dictionary<string, string>(), args);

    public static Result Run(TimeSpan limit, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(args);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"ephys {string.Join(' ', args)} did not finish in {limit.TotalSeconds} s");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stderr.Result) { StandardOutput = stdout.Result };
    }
}
