using System.Buffers.Binary;
using System.Text.Json;
using EphysPipeline.Core;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Preprocessing.Tests;

/// <summary>Inputs and expected outputs of the preprocessing tests.</summary>
internal static class TestData
{
    private static readonly Lazy<JsonDocument> Expected = new(() => JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("preprocessing_expected.json"))));

    /// <summary>tests/fixtures/preprocessing_expected.json (made by scripts/make_preprocessing_expected.py).</summary>
    public static JsonElement Preprocessing => Expected.Value.RootElement;

    /// <summary>
    /// A signals.h5 array (channels × samples), read as raw little-endian float64 at the contiguous-layout offset the
    /// fixture script recorded with h5py, so these tests do not depend on the HDF5 reader.
    /// </summary>
    public static double[][] Signal(string name)
    {
        var info = Preprocessing.GetProperty("signals_h5").GetProperty(name);
        long offset = info.GetProperty("offset").GetInt64();
        var shape = info.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        using var file = File.OpenRead(Fixtures.PathOf("signals.h5"));
        file.Seek(offset, SeekOrigin.Begin);
        var bytes = new byte[shape[0] * shape[1] * sizeof(double)];
        file.ReadExactly(bytes);
        var rows = new double[shape[0]][];
        for (int r = 0; r < shape[0]; r++)
        {
            rows[r] = new double[shape[1]];
            for (int t = 0; t < shape[1]; t++)
                rows[r][t] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((r * shape[1] + t) * sizeof(double)));
        }
        return rows;
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return worst / scale;
    }

    /// <summary>Reads a whole recording's channels in blocks of <paramref name="block"/> samples.</summary>
    public static double[][] ReadAll(IRecording recording, int block)
    {
        int n = recording.Channels.Count;
        long total = recording.SampleCount;
        var result = Enumerable.Range(0, n).Select(_ => new double[total]).ToArray();
        var channels = Enumerable.Range(0, n).ToArray();
        var buffer = new double[(long)block * n];
        for (long start = 0; start < total; start += block)
        {
            int count = (int)Math.Min(block, total - start);
            recording.ReadTraces(start, count, channels, buffer);
            for (int c = 0; c < n; c++) buffer.AsSpan(c * count, count).CopyTo(result[c].AsSpan((int)start));
        }
        return result;
    }
}

/// <summary>An in-memory recording (channel rows), counting reads so tests can see streaming.</summary>
internal sealed class ArrayRecording : IRecording
{
    private readonly double[][] _rows;

    public ArrayRecording(double[][] rows, double sampleRate, int preferredBlock = 1000, string[]? regions = null, double startTime = 0, long firstId = 100)
    {
        _rows = rows;
        SampleRate = sampleRate;
        PreferredBlockSamples = preferredBlock;
        StartTime = startTime;
        Channels = rows.Select((_, i) => new ChannelInfo(i, firstId + i, regions?[i] ?? (i < rows.Length / 2 ? "PFC" : "HPC"), "shank0")).ToArray();
    }

    public string Source => "memory";

    public double SampleRate { get; }

    public long SampleCount => _rows.Length == 0 ? 0 : _rows[0].Length;

    public double StartTime { get; }

    public IReadOnlyList<ChannelInfo> Channels { get; }

    public int PreferredBlockSamples { get; }

    public long LargestRead { get; private set; }

    public bool Disposed { get; private set; }

    public void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination)
    {
        LargestRead = Math.Max(LargestRead, count);
        for (int k = 0; k < channels.Length; k++) _rows[channels[k]].AsSpan((int)start, count).CopyTo(destination.Slice(k * count, count));
    }

    public void Dispose() => Disposed = true;
}
