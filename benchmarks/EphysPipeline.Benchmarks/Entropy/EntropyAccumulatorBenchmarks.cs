using EphysPipeline.Native.Fftw;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Entropy;

namespace EphysPipeline.Benchmarks.Entropy;

/// <summary>
/// Why: the study runner streams every channel of an epoch through <see cref="ChannelEntropyAccumulator"/>; this
/// measures that whole path (ring buffer, windowing, default metrics: spectral, permutation, sample, LZ) and
/// shows that allocation does not grow with recording length.
/// What: Channels × Minutes of LFP-like data at 1 kHz appended in 1 s blocks, one thread, default options.
/// </summary>
[MemoryDiagnoser]
public class EntropyAccumulatorBenchmarks
{
    private double[] _x = [];
    private ChannelEntropyAccumulator[] _channels = [];

    [Params(4, 32)]
    public int Channels { get; set; }

    [Params(1)]
    public int Minutes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = EntropyKernelBenchmarks.LfpLike(Minutes * 60_000, seed: 3);
        _channels = Enumerable.Range(0, Channels).Select(_ => new ChannelEntropyAccumulator(new EntropyOptions(), 1000, FftwProvider.Shared)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in _channels) c.Dispose();
    }

    [Benchmark]
    public double DefaultMetricsStreamed()
    {
        double total = 0;
        foreach (var channel in _channels)
        {
            channel.Reset();
            for (int at = 0; at < _x.Length; at += 1000) channel.Append(_x.AsSpan(at, Math.Min(1000, _x.Length - at)));
            total += channel.Summary().Permutation!.Mean;
        }
        return total;
    }
}
