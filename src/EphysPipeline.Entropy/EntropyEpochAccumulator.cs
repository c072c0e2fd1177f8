using EphysPipeline.Core.Fft;

namespace EphysPipeline.Entropy;

/// <summary>
/// Streaming entropy of all channels of one epoch, fed with channel-major blocks as <c>IRecording.ReadTraces</c>
/// returns them. Channels are independent accumulators, computed in parallel when asked; each channel's result is
/// the same whatever the thread count.
/// </summary>
public sealed class EntropyEpochAccumulator : IDisposable
{
    private readonly ChannelEntropyAccumulator[] _channels;
    private readonly ParallelOptions _parallel;

    /// <param name="channels">Number of channels in every block.</param>
    /// <param name="options">Metrics, windows and parameters.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="maxDegreeOfParallelism">Threads over channels; 1 when the caller already parallelises.</param>
    /// <param name="fft">FFT for the spectral-entropy Welch PSD (the spectral engine's default when null).</param>
    public EntropyEpochAccumulator(int channels, EntropyOptions options, double sampleRate, IFftProvider fft, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        _channels = new ChannelEntropyAccumulator[channels];
        for (int c = 0; c < channels; c++) _channels[c] = new ChannelEntropyAccumulator(options, sampleRate, fft);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
    }

    public int Channels => _channels.Length;

    /// <summary>Continues the current run: <paramref name="block"/> holds channel c's samples at [c·count, (c+1)·count).</summary>
    public void Append(ReadOnlySpan<double> block, int count)
    {
        if (block.Length < count * _channels.Length)
            throw new ArgumentException($"block holds {block.Length} values, {_channels.Length} channels × {count} samples needed", nameof(block));
        if (_parallel.MaxDegreeOfParallelism == 1)
        {
            for (int c = 0; c < _channels.Length; c++) _channels[c].Append(block.Slice(c * count, count));
            return;
        }
        var data = block[..(count * _channels.Length)].ToArray();
        Parallel.For(0, _channels.Length, _parallel, c => _channels[c].Append(data.AsSpan(c * count, count)));
    }

    /// <summary>The next sample starts a new run on every channel (after an artifact or gap).</summary>
    public void StartNewRun()
    {
        foreach (var channel in _channels) channel.StartNewRun();
    }

    /// <summary>Clears every channel for a new epoch.</summary>
    public void Reset()
    {
        foreach (var channel in _channels) channel.Reset();
    }

    /// <summary>Per-channel summaries, in channel order.</summary>
    public IReadOnlyList<EntropyChannelSummary> Summaries() => _channels.Select(c => c.Summary()).ToArray();

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
