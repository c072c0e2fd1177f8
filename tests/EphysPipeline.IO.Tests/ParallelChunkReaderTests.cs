using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.Native.Hdf5;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests;

/// <summary>Chunks decoded on several threads give exactly what libhdf5's H5Dread gives, on fixtures and on odd layouts.</summary>
public class ParallelChunkReaderTests
{
    [Theory]
    [InlineData("nwb/ketamine_m01.nwb")]
    [InlineData("nwb/psilocybin_m02_lfp.nwb")]
    [InlineData("nwb/saline_m01_timestamps.nwb")]
    public void Fixture_recordings_read_the_same_with_parallel_decoding(string fixture)
    {
        var path = Fixtures.PathOf(fixture);
        using var serial = NwbFile.OpenRecording(path);
        using var parallel = NwbFile.OpenRecording(path);
        parallel.DecodeThreads = 3;
        // ketamine_m01 is gzip-chunked (pynwb's H5DataIO); the others are contiguous and read through libhdf5.
        Assert.Equal(fixture.Contains("ketamine"), parallel.DecodesInParallel);
        AssertSameReads(serial, parallel, seed: 1);
    }

    public static TheoryData<string, long, long, long, long, int, bool, bool> Layouts() => new()
    {
        // name, rows, cols, chunk rows, chunk cols, gzip level (-1 none), shuffle, channels by samples
        { "gzip+shuffle, chunks across channels", 5003, 13, 97, 5, 4, true, false },
        { "gzip only, one chunk column", 4000, 8, 1000, 8, 1, false, false },
        { "shuffle only", 3001, 6, 256, 4, -1, true, false },
        { "channels by samples", 7, 6007, 3, 500, 6, true, true },
        { "one chunk holds everything", 300, 4, 300, 4, 4, true, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Odd_chunk_layouts_read_bit_for_bit_like_H5Dread(string name, long rows, long cols, long chunkRows, long chunkCols, int gzip, bool shuffle, bool channelsBySamples)
    {
        Assert.NotEmpty(name);
        using var dir = Fixtures.TempDir();
        var path = dir.File("layout.h5");
        var values = new short[rows * cols];
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++) values[i] = (short)(random.Next(-3000, 3000) + (i % 97 == 0 ? short.MinValue / 2 : 0));
        using (var file = Hdf5File.Create(path))
        using (var data = file.CreateDataset<short>("/data", [rows, cols], [chunkRows, chunkCols], gzip, shuffle))
            data.Write<short>([0, 0], [rows, cols], values);

        var layout = new PlainHdf5Layout
        {
            DatasetPath = "/data", SampleRate = 1000, ScaleToVolts = 1e-6,
            Orientation = channelsBySamples ? PlainOrientation.ChannelsBySamples : PlainOrientation.SamplesByChannels,
        };
        AssertLayoutReadsSame(layout, path, seed: 2, parallelPath: true);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void Large_blocks_convert_every_value_as_stored_times_gain(bool channelsBySamples, int threads)
    {
        // 40 interleaved channels: time tiles of 819 samples, the last one partial; enough values for several threads.
        const int samples = 20_011, channels = 40;
        using var dir = Fixtures.TempDir();
        var path = dir.File("large.h5");
        var values = new short[samples * channels];
        var random = new Random(11);
        for (int i = 0; i < values.Length; i++) values[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        long[] shape = channelsBySamples ? [channels, samples] : [samples, channels];
        using (var file = Hdf5File.Create(path))
        using (var data = file.CreateDataset<short>("/data", shape, channelsBySamples ? [8, 4096] : [4096, 8], 1, shuffle: true))
            data.Write<short>([0, 0], shape, values);
        var layout = new PlainHdf5Layout
        {
            DatasetPath = "/data", SampleRate = 1000, ScaleToVolts = 0.195e-6,
            Orientation = channelsBySamples ? PlainOrientation.ChannelsBySamples : PlainOrientation.SamplesByChannels,
        };
        using var recording = layout.Open(path);
        recording.DecodeThreads = threads;
        short Stored(int c, long t) => values[channelsBySamples ? c * (long)samples + t : t * channels + c];
        foreach (int[] picked in new[] { Enumerable.Range(0, channels).ToArray(), [39, 3, 17, 5, 38] })
        {
            const long start = 1234;
            const int count = 17_000;
            var block = new double[picked.Length * count];
            recording.ReadTraces(start, count, picked, block);
            for (int k = 0; k < picked.Length; k++)
                for (int t = 0; t < count; t++)
                    Assert.Equal(Stored(picked[k], start + t) * recording.Gain[picked[k]], block[k * count + t]);
        }
    }

    [Fact]
    public void Float32_recordings_read_bit_for_bit_like_H5Dread()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("float.h5");
        var values = new float[2500 * 5];
        var random = new Random(9);
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5) * 1e-4f;
        values[17] = float.NaN;
        using (var file = Hdf5File.Create(path))
        using (var data = file.CreateDataset<float>("/data", [2500, 5], [333, 2], 4, shuffle: true))
            data.Write<float>([0, 0], [2500, 5], values);
        var layout = new PlainHdf5Layout { DatasetPath = "/data", SampleRate = 1000, ScaleToVolts = 1 };
        AssertLayoutReadsSame(layout, path, seed: 3, parallelPath: true);
    }

    [Fact]
    public void Chunks_never_written_fall_back_to_the_fill_value_H5Dread_gives()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("sparse.h5");
        using (var file = Hdf5File.Create(path))
        using (var data = file.CreateDataset<short>("/data", [4000, 4], [500, 4], 4, shuffle: true))
            data.Write<short>([1000, 0], [500, 4], Enumerable.Range(0, 2000).Select(i => (short)(i - 1000)).ToArray());
        var layout = new PlainHdf5Layout { DatasetPath = "/data", SampleRate = 1000, ScaleToVolts = 1e-6 };
        AssertLayoutReadsSame(layout, path, seed: 4, parallelPath: false);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Unshuffle_undoes_the_shuffle_filter(int elementSize)
    {
        var original = new byte[elementSize * 1001 + 0];
        new Random(elementSize).NextBytes(original);
        int n = original.Length / elementSize;
        var shuffled = new byte[original.Length];
        for (int e = 0; e < n; e++)
            for (int b = 0; b < elementSize; b++) shuffled[b * n + e] = original[e * elementSize + b];
        var output = new byte[original.Length];
        ParallelChunkReader.Unshuffle(shuffled, output, elementSize);
        Assert.Equal(original, output);
    }

    [Fact]
    public void A_damaged_chunk_gives_libhdf5s_error_not_a_number()
    {
        var original = File.ReadAllBytes(Fixtures.PathOf("nwb/ketamine_m01.nwb"));
        using var dir = Fixtures.TempDir();
        var path = dir.File("damaged.nwb");
        // Zero a stretch of the file's second half, where the chunks of the series lie.
        var bytes = (byte[])original.Clone();
        Array.Clear(bytes, bytes.Length / 2, 4096);
        File.WriteAllBytes(path, bytes);
        string? serialError = ReadAllError(path, 1), parallelError = ReadAllError(path, 2);
        Assert.NotNull(serialError);
        Assert.Equal(serialError, parallelError);
    }

    private static string? ReadAllError(string path, int threads)
    {
        try
        {
            using var recording = NwbFile.OpenRecording(path);
            recording.DecodeThreads = threads;
            var channels = Enumerable.Range(0, recording.Channels.Count).ToArray();
            var block = new double[channels.Length * recording.PreferredBlockSamples];
            for (long start = 0; start < recording.SampleCount; start += recording.PreferredBlockSamples)
                recording.ReadTraces(start, (int)Math.Min(recording.PreferredBlockSamples, recording.SampleCount - start), channels, block);
            return null;
        }
        catch (EphysInputException error)
        {
            return error.Message;
        }
    }

    /// <summary>Whole-block reads (as the streaming pass does, margins reaching into the last block) and random windows on random channel subsets.</summary>
    /// <summary>The file read through H5Dread and with two decode threads gives the same values.</summary>
    /// <param name="parallelPath">True when the layout must take the parallel path (not fall back at open).</param>
    private static void AssertLayoutReadsSame(PlainHdf5Layout layout, string path, int seed, bool parallelPath)
    {
        using var serial = layout.Open(path);
        using var parallel = layout.Open(path);
        parallel.DecodeThreads = 2;
        if (parallelPath) Assert.True(parallel.DecodesInParallel);
        AssertSameReads(serial, parallel, seed);
    }

    private static void AssertSameReads(Hdf5Recording serial, Hdf5Recording parallel, int seed)
    {
        int channels = serial.Channels.Count;
        var all = Enumerable.Range(0, channels).ToArray();
        int block = serial.PreferredBlockSamples, margin = Math.Min(block / 3 + 1, 777);
        for (long start = 0; start < serial.SampleCount; start += block)
        {
            long from = Math.Max(0, start - margin);
            int count = (int)Math.Min(serial.SampleCount - from, block + 2 * margin);
            AssertSame(serial, parallel, from, count, all);
        }
        var random = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            long from = random.NextInt64(serial.SampleCount);
            int count = (int)Math.Min(serial.SampleCount - from, random.Next(1, 3000));
            var subset = all.Where(_ => random.Next(3) > 0).DefaultIfEmpty(random.Next(channels)).ToArray();
            AssertSame(serial, parallel, from, count, subset);
        }
    }

    private static void AssertSame(Hdf5Recording serial, Hdf5Recording parallel, long from, int count, int[] channels)
    {
        var expected = new double[channels.Length * count];
        var actual = new double[channels.Length * count];
        serial.ReadTraces(from, count, channels, expected);
        parallel.ReadTraces(from, count, channels, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"sample {i} of [{from}, {from + count}): {expected[i]:R} vs {actual[i]:R}");
    }
}
