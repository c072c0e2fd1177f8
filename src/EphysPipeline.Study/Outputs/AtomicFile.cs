using System.Text;
using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// Writes files so that a reader (or a rerun after a kill) sees either the old file or the whole new one. A write the
/// disk refuses (full, read-only, permission, I/O error) becomes an <see cref="OutputWriteException"/> naming the final
/// path, and the temporary file is removed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>, then renames it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPath(path);
        try
        {
            using (var file = Guard(path, () => new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)))
            using (var stream = new GuardedStream(file, path))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Guard(path, () => File.Move(temp, path, overwrite: true));
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no BOM, '\n' line ends as given) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>Writes UTF-8 text (no BOM) through a writer, streamed to the temporary file, then renamed.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(writer);
        });

    /// <summary>
    /// Produces a file with a writer that needs a path (HDF5): the writer creates a temporary path, then it is renamed.
    /// A libhdf5 failure that carries a system errno is taken as the disk's refusal; others (a bad input) pass through.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeToPath)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPath(path);
        try
        {
            try
            {
                writeToPath(temp);
            }
            catch (Exception e) when (IsRefusedWrite(e) && OutputWriteException.From(path, e) is { } refused)
            {
                throw refused;
            }
            Guard(path, () => File.Move(temp, path, overwrite: true));
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Creates a folder (and its parents) for outputs.</summary>
    public static void CreateDirectory(string path) => Guard(path, () => Directory.CreateDirectory(path));

    /// <summary>Removes an output file if present.</summary>
    public static void Delete(string path) => Guard(path, () => File.Delete(path));

    /// <summary>
    /// Removes temporary files that a killed process of this host left in <paramref name="directory"/>. Files of a
    /// process still running, or of another host (cluster tasks sharing the folder), are left alone.
    /// </summary>
    public static void CleanStaleTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return;
        var prefix = $".tmp-{Host}-";
        foreach (var temp in Directory.EnumerateFiles(directory, "*.tmp-*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(temp);
            int at = name.LastIndexOf(prefix, StringComparison.Ordinal);
            if (at < 0) continue;
            var rest = name[(at + prefix.Length)..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || IsRunning(pid)) continue;
            TryDelete(temp);
        }
    }

    private static bool IsRefusedWrite(Exception e) =>
        e is IOException or UnauthorizedAccessException || e is Hdf5Exception hdf5 && !hdf5.Hdf5Message.Contains("read failed", StringComparison.Ordinal);

    private static readonly string Host = Environment.MachineName.Replace('-', '_');

    private static T Guard<T>(string path, Func<T> action)
    {
        try { return action(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputWriteException.From(path, e)!;
        }
    }

    private static void Guard(string path, Action action) => Guard(path, () => { action(); return 0; });

    // Cleanup after a failure must not hide it: on a read-only or failing disk the delete may fail too.
    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string TempPath(string path) => $"{path}.tmp-{Host}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Passes writes through; a write or flush the disk refuses names the final path, not the temporary one.</summary>
    private sealed class GuardedStream(Stream inner, string path) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => Guard(path, () => inner.Write(buffer, offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try { inner.Write(buffer); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputWriteException.From(path, e)!;
            }
        }
        public override void WriteByte(byte value) => Guard(path, () => inner.WriteByte(value));
        public override void Flush() => Guard(path, inner.Flush);
        public void Flush(bool flushToDisk) => Guard(path, () => ((FileStream)inner).Flush(flushToDisk));
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) Guard(path, inner.Dispose);
            base.Dispose(disposing);
        }
    }
}
