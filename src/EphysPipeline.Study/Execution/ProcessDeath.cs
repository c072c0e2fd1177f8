namespace EphysPipeline.Study.Execution;

/// <summary>Why a child `ephys` process died, from its exit code and the last lines of its stderr.</summary>
public static class ProcessDeath
{
    /// <summary>"crashed: signal 11", "crashed: stack overflow", "out of memory", or null when it exited on its own (code ≤ 128).</summary>
    public static string? Describe(int exitCode, IReadOnlyCollection<string> errorTail)
    {
        if (errorTail.Any(l => l.Contains("Stack overflow", StringComparison.Ordinal))) return "crashed: stack overflow";
        if (errorTail.Any(l => l.Contains("OutOfMemoryException", StringComparison.Ordinal))) return "out of memory";
        // .NET reports a process killed by signal N as exit code 128 + N.
        if (exitCode > 128) return exitCode - 128 == 9 ? "crashed: signal 9 (killed, e.g. by the out-of-memory killer)" : $"crashed: signal {exitCode - 128}";
        return null;
    }
}
