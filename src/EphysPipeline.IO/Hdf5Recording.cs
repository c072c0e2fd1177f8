using System.Numerics;
using System.Runtime.CompilerServices;
using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// A continuous recording stored as one 2-D HDF5 dataset (NWB ElectricalSeries data or a plain layout), read lazily in
/// hyperslabs of whole rows/columns of the touched channel span. Memory is one block buffer, whatever the recording length.
/// Volts = stored value × gain[channel] + offset. Not thread-safe: one recording object per thread.
/// </summary>
public sealed class Hdf5Recording : IRecording
{
    private const long MaxBlockBufferBytes = 64L << 20;
    private readonly Hdf5File file;
    private readonly Hdf5Dataset data;
    private readonly bool channelsBySamples;
    private readonly int rank;
    private readonly int storedChannels;
    private readonly double[] gain;
    private readonly double offset;
    private readonly StoredKind kind;
    private short[] shortBuffer = [];
    private float[] floatBuffer = [];
    private double[] doubleBuffer = [];
    private readonly ParallelChunkReader? chunks;

    private enum StoredKind { Int16, Float32, Other }

    internal Hdf5Recording(Hdf5File file, string datasetPath, bool channelsBySamples, double sampleRate, double startTime,
        double[] gain, double offset, IReadOnlyList<ChannelInfo> channels)
    {
        this.file = file;
        this.channelsBySamples = channelsBySamples;
        this.gain = gain;
        this.offset = offset;
        FileName = file.FileName;
        DatasetPath = datasetPath;
        Source = $"{file.FileName}:{datasetPath}";
        SampleRate = sampleRate;
        StartTime = startTime;
        Channels = channels;
        using (var probe = file.OpenDataset(datasetPath))
        {
            Shape = probe.Shape;
            ElementType = probe.ElementType;
            ChunkShape = probe.ChunkShape;
            Filters = probe.Filters;
            StorageBytes = probe.StorageSize;
        }
        rank = Shape.Length;
        SampleCount = rank == 1 || !channelsBySamples ? Shape[0] : Shape[1];
        storedChannels = rank == 1 ? 1 : (int)(channelsBySamples ? Shape[0] : Shape[1]);
        kind = ElementType switch
        {
            { Class: Hdf5TypeClass.Integer, Size: <= 2, IsSigned: true } => StoredKind.Int16,
            { Class: Hdf5TypeClass.Integer, Size: 1 } => StoredKind.Int16,
            { Class: Hdf5TypeClass.Float, Size: 4 } => StoredKind.Float32,
            _ => StoredKind.Other,
        };
        PreferredBlockSamples = ChooseBlock();
        var rowBytes = (long)storedChannels * Math.Max(1, ElementType.Size);
        var chunkRows = ChunkShape is null ? 0 : ChunkShape[channelsBySamples && rank == 2 ? 1 : 0];
        // Room for one block plus the chunk row it may start inside, so no chunk is decompressed twice.
        var cacheBytes = Math.Max(1L << 20, (PreferredBlockSamples + chunkRows) * rowBytes * 2);
        data = file.OpenDataset(datasetPath, cacheBytes);
        chunks = kind switch
        {
            StoredKind.Int16 => ParallelChunkReader.TryCreate<short>(data, Shape, ChunkShape, Filters),
            StoredKind.Float32 => ParallelChunkReader.TryCreate<float>(data, Shape, ChunkShape, Filters),
            _ => null,
        };
    }

    /// <summary>
    /// Threads that decompress chunks (gzip/shuffle int16 or float32 data); 1 reads through libhdf5 alone. The samples
    /// are the same bits for every value.
    /// </summary>
    public int DecodeThreads { get; set; } = 1;

    /// <summary>True when the chunks can be decoded off libhdf5 (gzip/shuffle only, native element type).</summary>
    internal bool DecodesInParallel => chunks is not null;

    public string Source { get; }
    public string FileName { get; }
    public string DatasetPath { get; }
    public double SampleRate { get; }
    public long SampleCount { get; }
    public double StartTime { get; }
    public IReadOnlyList<ChannelInfo> Channels { get; }
    public int PreferredBlockSamples { get; }

    /// <summary>Stored dataset dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>Stored element type (int16, float32, ...).</summary>
    public Hdf5ElementType ElementType { get; }

    /// <summary>Chunk dimensions, or null for contiguous storage.</summary>
    public long[]? ChunkShape { get; }

    /// <summary>Compression and other filters.</summary>
    public IReadOnlyList<Hdf5Filter> Filters { get; }

    /// <summary>Bytes on disk.</summary>
    public long StorageBytes { get; }

    /// <summary>Volts per stored unit, per channel (conversion × channel_conversion).</summary>
    public IReadOnlyList<double> Gain => gain;

    /// <summary>Seconds covered.</summary>
    public double Duration => SampleCount / SampleRate;

    public void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination)
    {
        if (start < 0 || count < 0 || start + count > SampleCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"samples [{start}, {start + count}) outside [0, {SampleCount})");
        if (destination.Length < (long)channels.Length * count)
            throw new ArgumentException($"destination holds {destination.Length} values, {channels.Length} × {count} needed", nameof(destination));
        if (count == 0 || channels.Length == 0) return;
        int first = int.MaxValue, last = -1;
        foreach (var channel in channels)
        {
            if ((uint)channel >= (uint)Channels.Count) throw new ArgumentOutOfRangeException(nameof(channels), $"channel {channel} outside [0, {Channels.Count})");
            first = Math.Min(first, channel);
            last = Math.Max(last, channel);
        }
        var width = last - first + 1;
        try
        {
            switch (kind)
            {
                case StoredKind.Int16:
                    Convert(ReadBlock(ref shortBuffer, start, count, first, width), count, first, width, channels, destination);
                    break;
                case StoredKind.Float32:
                    Convert(ReadBlock(ref floatBuffer, start, count, first, width), count, first, width, channels, destination);
                    break;
                default:
                    Convert(ReadBlock(ref doubleBuffer, start, count, first, width), count, first, width, channels, destination);
                    break;
            }
        }
        catch (Hdf5Exception error)
        {
            throw new EphysInputException(FileName, DatasetPath, $"samples [{start}, {start + count}) unreadable: {error.Hdf5Message}", error);
        }
    }

    /// <summary>Counts NaN and ±Inf samples in one streaming pass (later stages decide what to do with them).</summary>
    public long CountNonFinite()
    {
        if (kind == StoredKind.Int16 || ElementType.Class == Hdf5TypeClass.Integer) return 0;
        var all = Enumerable.Range(0, Channels.Count).ToArray();
        var block = new double[(long)PreferredBlockSamples * all.Length];
        long bad = 0;
        for (long start = 0; start < SampleCount; start += PreferredBlockSamples)
        {
            var count = (int)Math.Min(PreferredBlockSamples, SampleCount - start);
            var span = block.AsSpan(0, count * all.Length);
            ReadTraces(start, count, all, span);
            foreach (var value in span)
            {
                if (!double.IsFinite(value)) bad++;
            }
        }
        return bad;
    }

    public void Dispose()
    {
        data.Dispose();
        file.Dispose();
    }

    private int ChooseBlock()
    {
        var chunkRows = ChunkShape is null ? 1 : (int)Math.Max(1, ChunkShape[channelsBySamples && rank == 2 ? 1 : 0]);
        const int target = 32768;
        var block = (int)Math.Max(chunkRows, (target + chunkRows - 1) / chunkRows * (long)chunkRows);
        var maxRows = Math.Max(chunkRows, MaxBlockBufferBytes / (8L * Math.Max(1, storedChannels)));
        while (block > maxRows && block > chunkRows) block -= chunkRows;
        return (int)Math.Min(block, Math.Max(1, SampleCount));
    }

    private T[] ReadBlock<T>(ref T[] buffer, long start, int count, int first, int width) where T : unmanaged
    {
        var needed = (long)count * width;
        if (buffer.Length < needed) buffer = new T[needed];
        var span = buffer.AsSpan(0, (int)needed);
        if (chunks is not null && DecodeThreads > 1)
        {
            bool done = channelsBySamples ? chunks.TryRead(first, width, start, count, buffer, DecodeThreads)
                : chunks.TryRead(start, count, first, width, buffer, DecodeThreads);
            if (done) return buffer;
        }
        if (rank == 1) data.Read<T>([start], [count], span);
        else if (channelsBySamples) data.Read<T>([first, start], [width, count], span);
        else data.Read<T>([start, first], [count, width], span);
        return buffer;
    }

    /// <summary>Values per block below which the conversion runs on one thread.</summary>
    private const long ParallelConvertValues = 1 << 18;

    /// <summary>Bytes of stored samples × channels a time tile of the interleaved layout spans (kept in L2 while its channels are gathered).</summary>
    private const int TileBytes = 64 * 1024;

    // volts = stored × gain + offset, channel-major. An interleaved (samples × channels) block is gathered in time tiles
    // so that the tile's cache lines serve every channel, not one line per sample and channel; tiles or channels go to
    // DecodeThreads threads. Every value is the same expression whatever the tiling, so the same bits.
    private unsafe void Convert<T>(T[] block, int count, int first, int width, ReadOnlySpan<int> channels, Span<double> destination)
        where T : unmanaged, INumberBase<T>
    {
        var picked = channels.ToArray();
        bool contiguous = channelsBySamples || width == 1;
        // Tiles of whole 8-sample groups (the int16 path transposes 8 × 8); the tiling changes no bit.
        int tile = contiguous ? count : Math.Clamp(TileBytes / (width * sizeof(T)), 16, Math.Max(16, count)) & ~7;
        bool vectorised = !contiguous && typeof(T) == typeof(short) && Int16ToVolts.IsAccelerated && IsRun(picked);
        int tiles = (count + tile - 1) / tile;
        int parts = contiguous ? picked.Length : tiles;
        int threads = (long)count * picked.Length < ParallelConvertValues ? 1 : Math.Min(DecodeThreads, parts);
        fixed (double* pinned = destination)
        {
            var target = (nint)pinned;
            void Part(int p)
            {
                if (contiguous)
                {
                    ConvertRows(block, count, first, width, picked, p, 0, count, (double*)target);
                    return;
                }
                int from = p * tile, to = Math.Min(count, from + tile);
                if (vectorised)
                {
                    fixed (short* samples = Unsafe.As<short[]>(block))
                    fixed (double* gains = &gain[picked[0]])
                        Int16ToVolts.Convert(samples, width, picked[0] - first, picked.Length, from, to, gains, offset, (double*)target, count);
                    return;
                }
                for (int k = 0; k < picked.Length; k++) ConvertRows(block, count, first, width, picked, k, from, to, (double*)target);
            }
            WorkSplit.For(parts, threads, Part);
        }
    }

    // Channels picked[0], picked[0] + 1, … in order.
    private static bool IsRun(int[] picked)
    {
        for (int k = 1; k < picked.Length; k++)
            if (picked[k] != picked[0] + k) return false;
        return picked.Length > 0;
    }

    private unsafe void ConvertRows<T>(T[] block, int count, int first, int width, int[] picked, int k, int from, int to, double* destination)
        where T : unmanaged, INumberBase<T>
    {
        var column = picked[k] - first;
        var g = gain[picked[k]];
        var target = new Span<double>(destination + (long)k * count, count);
        if (channelsBySamples || width == 1)
        {
            var row = block.AsSpan(column * count, count);
            for (var t = from; t < to; t++) target[t] = double.CreateTruncating(row[t]) * g + offset;
        }
        else
        {
            for (var t = from; t < to; t++) target[t] = double.CreateTruncating(block[t * width + column]) * g + offset;
        }
    }
}
