// Why: the theta band-pass (MNE design, 1651 taps at 1 kHz) runs on every channel of every session before
// phase metrics, and the line-noise notch before everything; it is the preprocessing stage that costs most.
// What: zero-phase FIR filtering of `Channels` channels × `Minutes` minutes at 1 kHz, (1) streamed through
// FilteredRecording in its preferred blocks from an in-memory parent, (2) the span API on one whole channel.
// Report samples/s = Channels × Minutes × 60 000 / mean time; compare with mne_filter_timing.py on the same sizes.
using EphysPipeline.Native.Fftw;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Core;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Benchmarks.Preprocessing;

[MemoryDiagnoser]
public class FirBandPassBenchmarks
{
    private const double SampleRate = 1000;
    private double[] _taps = [];
    private double[] _channel = [];
    private double[] _filtered = [];
    private double[] _block = [];
    private int[] _channels = [];

    [Params(32)]
    public int Channels { get; set; }

    [Params(5, 30)]
    public int Minutes { get; set; }

    private long Samples => (long)Minutes * 60 * (long)SampleRate;

    [GlobalSetup]
    public void Setup()
    {
        _taps = FirDesign.Create(SampleRate, 6, 10);
        var rng = new Random(1);
        _channel = new double[Samples];
        for (long t = 0; t < _channel.Length; t++) _channel[t] = 1e-4 * Math.Sin(2 * Math.PI * 8 * t / SampleRate) + 1e-5 * (rng.NextDouble() - 0.5);
        _filtered = new double[Samples];
        _channels = Enumerable.Range(0, Channels).ToArray();
    }

    /// <summary>All channels streamed in the stage's preferred blocks (what the study runner does).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public double StreamedRecording()
    {
        using var filtered = new FilteredRecording(new RepeatedChannelRecording(_channel, Channels, SampleRate), _taps, FftwProvider.Shared);
        int block = filtered.PreferredBlockSamples;
        if (_block.Length < (long)block * Channels) _block = new double[(long)block * Channels];
        double checksum = 0;
        for (long start = 0; start < filtered.SampleCount; start += block)
        {
            int count = (int)Math.Min(block, filtered.SampleCount - start);
            filtered.ReadTraces(start, count, _channels, _block);
            checksum += _block[count - 1];
        }
        return checksum;
    }

    /// <summary>The span API on every channel (each a whole recording's length), one filter object reused.</summary>
    [Benchmark]
    public double SpanApi()
    {
        using var filter = new ZeroPhaseFir(_taps, FftwProvider.Shared);
        double checksum = 0;
        for (int c = 0; c < Channels; c++)
        {
            filter.Apply(_channel, _filtered);
            checksum += _filtered[^1];
        }
        return checksum;
    }

    /// <summary>Every channel reads the same samples (memory stays at one channel; filtering cost is unchanged).</summary>
    private sealed class RepeatedChannelRecording(double[] samples, int channels, double sampleRate) : IRecording
    {
        public string Source => "benchmark";

        public double SampleRate => sampleRate;

        public long SampleCount => samples.Length;

        public double StartTime => 0;

        public IReadOnlyList<ChannelInfo> Channels { get; } =
            Enumerable.Range(0, channels).Select(i => new ChannelInfo(i, i, "PFC", "")).ToArray();

        public int PreferredBlockSamples => 60_000;

        public void ReadTraces(long start, int count, ReadOnlySpan<int> channelList, Span<double> destination)
        {
            for (int k = 0; k < channelList.Length; k++) samples.AsSpan((int)start, count).CopyTo(destination.Slice(k * count, count));
        }

        public void Dispose()
        {
        }
    }
}
