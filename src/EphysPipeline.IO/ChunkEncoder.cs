using System.Buffers;
using System.IO.Compression;

namespace EphysPipeline.IO;

/// <summary>
/// A chunk through HDF5's shuffle and deflate filters (in that order), as <c>H5Dwrite</c> would store it, so that
/// chunks can be encoded on several threads and handed to libhdf5 as stored (<c>H5Dwrite_chunk</c>). The deflate
/// stream is .NET's zlib (zlib-ng), not libhdf5's: other bytes than libhdf5's for the same level, the same values
/// when read back, and the same bytes for the same input on every run.
/// </summary>
public static class ChunkEncoder
{
    /// <summary>The stored bytes of one chunk of <paramref name="elementSize"/>-byte elements, shuffled then deflated at <paramref name="level"/> (0–9).</summary>
    public static byte[] ShuffleDeflate(ReadOnlySpan<byte> raw, int elementSize, int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elementSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        var shuffled = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            ParallelChunkReader.ShuffleBytes(raw, shuffled.AsSpan(0, raw.Length), elementSize);
            using var output = new MemoryStream(raw.Length / 2 + 64);
            using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
                zlib.Write(shuffled, 0, raw.Length);
            return output.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(shuffled);
        }
    }
}
