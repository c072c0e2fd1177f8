using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// Hyperslab reads of a chunked 2-D dataset whose filters are shuffle and/or deflate (gzip), decoded on several
/// threads. libhdf5 decodes one chunk at a time under its global lock; here it only hands over each chunk's stored
/// bytes (direct chunk read) and the inflating and unshuffling run in parallel. The result is the bytes H5Dread
/// gives. Any chunk that is not plain (never written, or failing to decode) makes <see cref="TryRead{T}"/> return
/// false, so the caller reads that block with H5Dread and libhdf5's own fill value or error message stands.
/// The chunks of the last read are kept, so a block whose margin reaches into them decodes none twice.
/// </summary>
internal sealed class ParallelChunkReader
{
    private const int Deflate = 1, Shuffle = 2;
    private readonly Hdf5Dataset data;
    private readonly long rowsTotal, colsTotal, chunkRows, chunkCols;
    // Positions of the filters in the pipeline (bit i of a chunk's filter mask skips filter i); -1 when absent.
    private readonly int shuffleAt, deflateAt;
    private readonly int elementSize;
    private readonly int chunkBytes;
    private Dictionary<(long Row, long Col), byte[]> previous = [];
    private readonly Stack<byte[]> pool = new();

    private ParallelChunkReader(Hdf5Dataset data, long[] shape, long[] chunk, int shuffleAt, int deflateAt, int elementSize)
    {
        this.data = data;
        (rowsTotal, colsTotal) = (shape[0], shape[1]);
        (chunkRows, chunkCols) = (chunk[0], chunk[1]);
        (this.shuffleAt, this.deflateAt) = (shuffleAt, deflateAt);
        this.elementSize = elementSize;
        chunkBytes = checked((int)(chunkRows * chunkCols * elementSize));
    }

    /// <summary>
    /// A reader when the dataset is 2-D, chunked, stored as native <typeparamref name="T"/> and filtered by shuffle
    /// and/or deflate, at most once each and shuffle first (as h5py and pynwb write them); else null.
    /// </summary>
    public static ParallelChunkReader? TryCreate<T>(Hdf5Dataset data, long[] shape, long[]? chunk, IReadOnlyList<Hdf5Filter> filters) where T : unmanaged
    {
        if (shape.Length != 2 || chunk is not { Length: 2 } || chunk[0] <= 0 || chunk[1] <= 0) return null;
        var ids = filters.Select(f => f.Id).ToList();
        int shuffleAt = ids.IndexOf(Shuffle), deflateAt = ids.IndexOf(Deflate);
        if (ids.Count == 0 || ids.Count != (shuffleAt >= 0 ? 1 : 0) + (deflateAt >= 0 ? 1 : 0)) return null;
        if (shuffleAt >= 0 && deflateAt >= 0 && shuffleAt > deflateAt) return null;
        if (chunk[0] * chunk[1] * Unsafe.SizeOf<T>() > 256L << 20) return null;
        if (!data.StoresNative<T>()) return null;
        return new ParallelChunkReader(data, shape, chunk, shuffleAt, deflateAt, Unsafe.SizeOf<T>());
    }

    /// <summary>Reads rows [row0, row0 + rows) × columns [col0, col0 + cols) into <paramref name="destination"/> (row-major).</summary>
    /// <returns>False when a chunk is not plain; <paramref name="destination"/> is then incomplete and must be read another way.</returns>
    public bool TryRead<T>(long row0, long rows, long col0, long cols, T[] destination, int threads) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() != elementSize) throw new ArgumentException($"element size {Unsafe.SizeOf<T>()}, the dataset has {elementSize}");
        if (rows <= 0 || cols <= 0) return true;
        if (row0 < 0 || col0 < 0 || row0 + rows > rowsTotal || col0 + cols > colsTotal) throw new ArgumentOutOfRangeException(nameof(row0));
        long firstRow = row0 / chunkRows, lastRow = (row0 + rows - 1) / chunkRows;
        long firstCol = col0 / chunkCols, lastCol = (col0 + cols - 1) / chunkCols;
        int count = checked((int)((lastRow - firstRow + 1) * (lastCol - firstCol + 1)));
        var keys = new (long Row, long Col)[count];
        var decoded = new byte[count][];
        int k = 0;
        for (long r = firstRow; r <= lastRow; r++)
            for (long c = firstCol; c <= lastCol; c++, k++)
            {
                keys[k] = (r, c);
                if (previous.Remove(keys[k], out var kept)) decoded[k] = kept;
            }
        bool plain = true;
        try
        {
            // Each thread takes the next chunk: libhdf5 hands over its stored bytes under the lock (one call at a time,
            // in file order), and the inflating, unshuffling and copying run outside it, overlapping the next read.
            var gate = new object();
            int failed = 0;
            Core.WorkSplit.ForEachByWorker(Math.Max(1, threads), count, (_, i) =>
            {
                if (Volatile.Read(ref failed) != 0) return;
                if (decoded[i] is null)
                {
                    var stored = Rent();
                    try
                    {
                        int size;
                        uint mask;
                        lock (gate) size = data.ReadRawChunk([keys[i].Row * chunkRows, keys[i].Col * chunkCols], ref stored, out mask);
                        var output = Rent();
                        if (size <= 0 || !Decode(stored, size, mask, ref output))
                        {
                            Return(output);
                            Volatile.Write(ref failed, 1);
                            return;
                        }
                        decoded[i] = output;
                    }
                    catch (Hdf5Exception)
                    {
                        Volatile.Write(ref failed, 1);
                        return;
                    }
                    finally
                    {
                        Return(stored);
                    }
                }
                Copy(decoded[i], keys[i], row0, rows, col0, cols, MemoryMarshal.Cast<T, byte>(destination.AsSpan()));
            });
            plain = failed == 0;
            return plain;
        }
        finally
        {
            foreach (var buffer in previous.Values) Return(buffer);
            previous = [];
            for (int i = 0; i < count; i++)
            {
                if (decoded[i] is not { } d) continue;
                if (plain) previous[keys[i]] = d;
                else Return(d);
            }
        }
    }

    private byte[] Rent()
    {
        lock (pool) return pool.Count > 0 ? pool.Pop() : new byte[chunkBytes];
    }

    private void Return(byte[] buffer)
    {
        lock (pool) pool.Push(buffer);
    }

    /// <summary>Inflates, then unshuffles (the reverse of writing), into <paramref name="output"/>; false when the chunk does not decode to its size.</summary>
    private bool Decode(byte[] stored, int size, uint mask, ref byte[] output)
    {
        byte[]? inflated = null;
        try
        {
            ReadOnlySpan<byte> bytes = stored.AsSpan(0, size);
            if (Applied(deflateAt, mask))
            {
                inflated = Rent();
                if (!Inflate(stored, size, inflated)) return false;
                bytes = inflated.AsSpan(0, chunkBytes);
            }
            if (bytes.Length != chunkBytes) return false;
            if (Applied(shuffleAt, mask)) Unshuffle(bytes, output, elementSize);
            // No shuffle to undo: the inflated (or stored) bytes are the chunk.
            else if (inflated is not null) (output, inflated) = (inflated, output);
            else bytes.CopyTo(output);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            if (inflated is not null) Return(inflated);
        }
    }

    private static bool Applied(int filter, uint mask) => filter >= 0 && (mask & (1u << filter)) == 0;

    private bool Inflate(byte[] stored, int size, byte[] output)
    {
        using var source = new MemoryStream(stored, 0, size, writable: false);
        using var zlib = new ZLibStream(source, CompressionMode.Decompress);
        if (zlib.ReadAtLeast(output.AsSpan(0, chunkBytes), chunkBytes, throwOnEndOfStream: false) != chunkBytes) return false;
        Span<byte> extra = stackalloc byte[1];
        return zlib.Read(extra) == 0;
    }

    /// <summary>The reverse of <see cref="Unshuffle"/>: HDF5's shuffle filter (byte b of element e at b·n + e).</summary>
    internal static void ShuffleBytes(ReadOnlySpan<byte> raw, Span<byte> shuffled, int elementSize)
    {
        int n = raw.Length / elementSize;
        for (int b = 0; b < elementSize; b++)
        {
            var plane = shuffled.Slice(b * n, n);
            for (int e = 0; e < n; e++) plane[e] = raw[e * elementSize + b];
        }
        raw[(n * elementSize)..].CopyTo(shuffled[(n * elementSize)..]);
    }

    /// <summary>Shuffle stores byte b of every element together; this puts each element's bytes back side by side.</summary>
    internal static void Unshuffle(ReadOnlySpan<byte> shuffled, Span<byte> output, int elementSize)
    {
        int n = shuffled.Length / elementSize;
        int e = 0;
        if (elementSize == 2 && Sse2.IsSupported)
        {
            ref byte low = ref MemoryMarshal.GetReference(shuffled);
            ref byte high = ref Unsafe.Add(ref low, n);
            ref byte to = ref MemoryMarshal.GetReference(output);
            for (; e + Vector128<byte>.Count <= n; e += Vector128<byte>.Count)
            {
                var a = Vector128.LoadUnsafe(ref low, (nuint)e);
                var b = Vector128.LoadUnsafe(ref high, (nuint)e);
                Sse2.UnpackLow(a, b).StoreUnsafe(ref to, (nuint)(2 * e));
                Sse2.UnpackHigh(a, b).StoreUnsafe(ref to, (nuint)(2 * e + Vector128<byte>.Count));
            }
        }
        for (; e < n; e++)
            for (int b = 0; b < elementSize; b++)
                output[e * elementSize + b] = shuffled[b * n + e];
        // Bytes beyond whole elements are stored as they are.
        shuffled[(n * elementSize)..].CopyTo(output[(n * elementSize)..]);
    }

    private void Copy(byte[] chunk, (long Row, long Col) key, long row0, long rows, long col0, long cols, Span<byte> destination)
    {
        long top = key.Row * chunkRows, left = key.Col * chunkCols;
        long r0 = Math.Max(row0, top), r1 = Math.Min(row0 + rows, top + chunkRows);
        long c0 = Math.Max(col0, left), c1 = Math.Min(col0 + cols, left + chunkCols);
        int length = (int)(c1 - c0) * elementSize;
        for (long r = r0; r < r1; r++)
        {
            long from = ((r - top) * chunkCols + (c0 - left)) * elementSize;
            long to = ((r - row0) * cols + (c0 - col0)) * elementSize;
            chunk.AsSpan((int)from, length).CopyTo(destination.Slice(checked((int)to), length));
        }
    }
}
