namespace EphysPipeline.Cli;

/// <summary>How to start this same `ephys` again as a child process (the bench's analysis child, the run's workers).</summary>
internal static class SelfProcess
{
    /// <summary>The executable and the arguments that come before a command.</summary>
    public static IReadOnlyList<string> Command()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the ephys executable to start a child process");
        // Under `dotnet ephys.dll` the host is dotnet: pass the assembly first.
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(SelfProcess).Assembly.Location] : [host];
    }
}
