using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EphysPipeline.TestSupport;

/// <summary>A tmpfs of a given size mounted on a fresh folder under /tmp (root only), unmounted and removed on dispose.</summary>
public sealed partial class Tmpfs : IDisposable
{
    public Tmpfs(string size, bool readOnly = false)
    {
        Path = System.IO.Path.Combine("/tmp", "ephys-tmpfs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={size}{(readOnly ? ",ro" : "")}", "tmpfs", Path);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    public string Path { get; }

    /// <summary>True when this process may mount (tests that need it skip otherwise).</summary>
    public static bool CanMount => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Remounts with new options, e.g. "size=64m" after a full disk, or "ro".</summary>
    public void Remount(string options) => Run("mount", "-o", $"remount,{options}", Path);

    public void Dispose()
    {
        // Lazy unmount: a child killed by a test may still hold a file open for a moment.
        try { Run("umount", "-l", Path); }
        finally { if (Directory.Exists(Path)) Directory.Delete(Path); }
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {error.Trim()}");
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
