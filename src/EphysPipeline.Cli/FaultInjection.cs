using System.Runtime.InteropServices;

namespace EphysPipeline.Cli;

/// <summary>
/// Deaths a child process cannot survive, for the isolation tests and for trying isolation by hand:
/// EPHYS_WORKER_FAULT="SESSION:kind" (run's workers) and EPHYS_PROBE_FAULT="NAME:kind" (inspect's file name,
/// validate's session id), kind one of segv, stackoverflow, oom.
/// </summary>
public static partial class FaultInjection
{
    public const string WorkerVariable = "EPHYS_WORKER_FAULT";
    public const string ProbeVariable = "EPHYS_PROBE_FAULT";

    /// <summary>Dies the way <paramref name="variable"/> asks when its target is <paramref name="target"/>.</summary>
    public static void At(string variable, string target)
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } fault) return;
        var parts = fault.Split(':');
        if (parts[0] != target) return;
        switch (parts.ElementAtOrDefault(1))
        {
            case "segv":
                memset(IntPtr.Zero, 0, 8); // a write through a null pointer in native code, as libhdf5 does on some malformed metadata
                break;
            case "stackoverflow":
                Recurse(0);
                break;
            case "oom":
                var hoard = new List<byte[]>();
                while (true) hoard.Add(GC.AllocateUninitializedArray<byte>(64 << 20, pinned: true));
        }
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    [LibraryImport("libc")]
    private static partial IntPtr memset(IntPtr destination, int value, nuint count);
}
