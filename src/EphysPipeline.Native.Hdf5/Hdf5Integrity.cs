using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace EphysPipeline.Native.Hdf5;

/// <summary>
/// Checks HDF5 can be trusted with a file. libhdf5 1.10 follows the object sizes inside a global heap collection
/// (where variable-length strings live) without bounds checks, so one flipped bit there crashes the process when a
/// string is read (h5py crashes the same way). We walk every collection first and refuse a damaged one.
/// </summary>
public static class Hdf5Integrity
{
    private static ReadOnlySpan<byte> Signature => "GCOL"u8;
    private const int HeaderBytes = 16;
    private const int MinimumCollectionBytes = 4096;

    /// <summary>Bytes one thread scans at a time.</summary>
    private const long RangeBytes = 64L << 20;

    /// <summary>
    /// A description of the first damaged global heap collection, or null when all are consistent. The file is
    /// scanned in 64 MiB ranges on up to <paramref name="threads"/> threads; the damage reported is the one at the
    /// lowest offset, whatever the thread count.
    /// </summary>
    public static string? FindGlobalHeapDamage(string path, int threads = 1) => FindGlobalHeapDamage(path, threads, RangeBytes);

    internal static string? FindGlobalHeapDamage(string path, int threads, long rangeBytes)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        int ranges = (int)((length + rangeBytes - 1) / rangeBytes);
        var problems = new string?[ranges];
        int firstDamaged = int.MaxValue;
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, () => new byte[4 << 20], (r, _, buffer) =>
        {
            // Ranges after one already found damaged cannot hold the first damage.
            if (r > Volatile.Read(ref firstDamaged)) return buffer;
            if (ScanRange(handle, r * rangeBytes, Math.Min(length, (r + 1) * rangeBytes), length, buffer) is { } problem)
            {
                problems[r] = problem;
                int seen;
                while (r < (seen = Volatile.Read(ref firstDamaged)) && Interlocked.CompareExchange(ref firstDamaged, r, seen) != seen) { }
            }
            return buffer;
        }, _ => { });
        return problems.FirstOrDefault(p => p is not null);
    }

    /// <summary>The first damaged collection whose signature starts in [start, end).</summary>
    private static string? ScanRange(SafeFileHandle handle, long start, long end, long length, byte[] buffer)
    {
        long position = start;
        while (position < end)
        {
            // Read up to 3 bytes past the range so a signature that starts inside it is seen whole.
            int want = (int)Math.Min(buffer.Length, Math.Min(end - position + Signature.Length - 1, length - position));
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, want), position);
            if (read <= 0) break;
            var window = buffer.AsSpan(0, read);
            var from = 0;
            while (true)
            {
                var hit = window[from..].IndexOf(Signature);
                if (hit < 0) break;
                var at = position + from + hit;
                if (at >= end) break;
                var problem = CheckCollection(handle, at, length);
                if (problem is not null) return $"global heap at byte {at}: {problem}";
                from += hit + 1;
            }
            if (position + read >= length) break;
            position += read - (Signature.Length - 1);
        }
        return null;
    }

    private static string? CheckCollection(SafeFileHandle handle, long at, long fileLength)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (RandomAccess.Read(handle, header, at) < HeaderBytes) return null;
        // Version 1 and three zero bytes: anything else is sample data that happens to spell "GCOL".
        if (header[4] != 1 || header[5] != 0 || header[6] != 0 || header[7] != 0) return null;
        var size = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        if (size < MinimumCollectionBytes || size > (ulong)(fileLength - at) || size > int.MaxValue)
            return $"collection size {size} impossible";
        var collection = new byte[(int)size];
        RandomAccess.Read(handle, collection, at);
        var offset = HeaderBytes;
        while (offset + HeaderBytes <= collection.Length)
        {
            var index = BinaryPrimitives.ReadUInt16LittleEndian(collection.AsSpan(offset));
            var objectSize = BinaryPrimitives.ReadUInt64LittleEndian(collection.AsSpan(offset + 8));
            if (index == 0) return null; // free space: the rest of the collection
            var padded = (objectSize + 7) & ~7UL;
            if (objectSize > (ulong)collection.Length || (ulong)offset + HeaderBytes + padded > (ulong)collection.Length)
                return $"object {index} of {objectSize} bytes overruns the {collection.Length}-byte collection";
            offset += HeaderBytes + (int)padded;
        }
        return null;
    }
}
