// Why: every analysis starts by streaming the recording off disk, so the reader must not be the bottleneck, and it
// reads in blocks so peak memory stays flat however long the session is. What: a block-wise pass (ReadTraces in
// PreferredBlockSamples blocks, int16 → volts, channel-major) over a Channels × Minutes × 1 kHz int16 chunked gzip
// file, against one whole-dataset H5Dread of the same file into int16 (the floor: decompression alone, no conversion,
// memory proportional to the length). Goal: the block-wise pass at ≥ 80% of the floor's throughput. The file is
// written in GlobalSetup with our own HDF5 write API (chunks of 1000 rows × all channels, gzip 4, as pynwb writes).
// DecodeThreads > 1 decodes the chunks off libhdf5 on that many threads (libhdf5 itself decodes on one): the
// block-wise pass should then pass the floor and scale with the threads.
using BenchmarkDotNet.Attributes;
using EphysPipeline.IO;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Benchmarks.IO;

[MemoryDiagnoser]
public class BlockReadBenchmarks
{
    private string path = "";
    private short[] whole = [];
    private double[] block = [];
    private int[] channels = [];

    [Params(32)]
    public int Channels { get; set; }

    [Params(30)]
    public int Minutes { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int DecodeThreads { get; set; }

    public static IEnumerable<int> ThreadCounts() => new[] { 1, 2, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        path = Path.Combine(Path.GetTempPath(), $"ephys-bench-{Channels}ch-{Minutes}min.nwb");
        var samples = Minutes * 60 * 1000;
        WriteSession(path, samples, Channels);
        whole = new short[(long)samples * Channels];
        channels = Enumerable.Range(0, Channels).ToArray();
        using var recording = NwbFile.OpenRecording(path);
        block = new double[recording.PreferredBlockSamples * Channels];
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(path);

    [Benchmark(Baseline = true, Description = "one whole-dataset H5Dread (floor)")]
    public short WholeDatasetRead()
    {
        using var file = Hdf5File.OpenRead(path);
        using var data = file.OpenDataset("acquisition/ElectricalSeries/data");
        data.ReadAll<short>(whole);
        return whole[^1];
    }

    [Benchmark(Description = "block-wise ReadTraces to volts")]
    public double BlockwiseRead()
    {
        using var recording = NwbFile.OpenRecording(path);
        recording.DecodeThreads = DecodeThreads;
        var size = recording.PreferredBlockSamples;
        double last = 0;
        for (long start = 0; start < recording.SampleCount; start += size)
        {
            var count = (int)Math.Min(size, recording.SampleCount - start);
            recording.ReadTraces(start, count, channels, block);
            last = block[count - 1];
        }
        return last;
    }

    /// <summary>A minimal NWB ElectricalSeries: LFP-like int16 (slow rhythm + noise) so gzip works as on real data.</summary>
    internal static void WriteSession(string path, int samples, int channelCount)
    {
        using var file = Hdf5File.Create(path);
        using (var table = file.CreateGroup("general/extracellular_ephys/electrodes"))
        {
            table.WriteDataset<long>("id", Enumerable.Range(0, channelCount).Select(i => (long)i).ToArray());
            table.WriteStrings("location", Enumerable.Range(0, channelCount).Select(i => i < channelCount / 2 ? "PFC" : "HPC").ToArray()).Dispose();
        }
        using var series = file.CreateGroup("acquisition/ElectricalSeries");
        series.WriteAttribute("neurodata_type", "ElectricalSeries");
        series.WriteDataset<long>("electrodes", Enumerable.Range(0, channelCount).Select(i => (long)i).ToArray());
        using (var region = series.OpenDataset("electrodes")) region.WriteReferenceAttribute("table", "/general/extracellular_ephys/electrodes");
        using (var start = series.WriteScalar("starting_time", 0.0)) start.WriteAttribute("rate", 1000.0);
        using var data = series.CreateDataset<short>("data", [samples, channelCount], [1000, channelCount], gzipLevel: 4);
        data.WriteAttribute("conversion", 1.95e-7);
        var random = new Random(11);
        const int rows = 60_000;
        var buffer = new short[rows * channelCount];
        for (var first = 0; first < samples; first += rows)
        {
            var count = Math.Min(rows, samples - first);
            for (var t = 0; t < count; t++)
            {
                var theta = 400 * Math.Sin(2 * Math.PI * 8 * (first + t) / 1000.0);
                for (var c = 0; c < channelCount; c++) buffer[t * channelCount + c] = (short)(theta + random.Next(-150, 150));
            }
            data.Write<short>([first, 0], [count, channelCount], buffer.AsSpan(0, count * channelCount));
        }
    }
}
