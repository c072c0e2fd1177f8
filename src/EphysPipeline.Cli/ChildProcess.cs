using System.Diagnostics;
using EphysPipeline.Study.Execution;

namespace EphysPipeline.Cli;

/// <summary>
/// Runs this `ephys` again as a child process to read untrusted files (inspect, validate), so that a crash in libhdf5
/// on a malformed file ends the child and this command reports it.
/// </summary>
internal static class ChildProcess
{
    /// <summary>How the child ended: its exit code, its stderr lines, and why it died if it did (<see cref="ProcessDeath"/>).</summary>
    public sealed record Outcome(int ExitCode, IReadOnlyList<string> Errors, string? Death);

    public static Outcome Run(IEnumerable<string> args, Action<string> onOutputLine)
    {
        var command = SelfProcess.Command();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start an ephys child process");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.Add(e.Data);
        };
        process.BeginErrorReadLine();
        while (process.StandardOutput.ReadLine() is { } line) onOutputLine(line);
        process.WaitForExit();
        lock (errors) return new Outcome(process.ExitCode, [.. errors], ProcessDeath.Describe(process.ExitCode, errors.TakeLast(20).ToList()));
    }
}

/// <summary>A child process ended with an error it already explained on stderr: its lines are printed as they are, with its exit code.</summary>
internal sealed class ChildFailedException(int exitCode, IReadOnlyList<string> lines)
    : Exception(string.Join(Environment.NewLine, lines))
{
    public int ExitCode { get; } = exitCode;
    public IReadOnlyList<string> Lines { get; } = lines;
}
