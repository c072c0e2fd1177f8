using EphysPipeline.Core.Fft;

namespace EphysPipeline.Spectral;

/// <summary>
/// Welch accumulators for every channel of a recording, fed channel-major blocks as IRecording.ReadTraces fills
/// them (block[c · samples + i]). Channels are independent, so results do not depend on how callers split work.
/// </summary>
public sealed class WelchBank : IDisposable
{
    private readonly WelchAccumulator[] _channels;

    public WelchBank(int channels, WelchOptions options, IFftProvider fft)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _channels = new WelchAccumulator[channels];
        for (int c = 0; c < channels; c++) _channels[c] = new WelchAccumulator(options, fft);
    }

    public int Channels => _channels.Length;

    public WelchAccumulator this[int channel] => _channels[channel];

    /// <summary>Continues every channel's run with <paramref name="samplesPerChannel"/> samples each.</summary>
    public void Append(ReadOnlySpan<double> channelMajor, int samplesPerChannel)
    {
        if (channelMajor.Length < samplesPerChannel * _channels.Length)
            throw new ArgumentException($"block holds {channelMajor.Length} values, need {samplesPerChannel} × {_channels.Length}", nameof(channelMajor));
        for (int c = 0; c < _channels.Length; c++) _channels[c].Append(channelMajor.Slice(c * samplesPerChannel, samplesPerChannel));
    }

    /// <summary>A gap follows on every channel.</summary>
    public void StartNewRun()
    {
        foreach (var c in _channels) c.StartNewRun();
    }

    /// <summary>New epoch: forget every channel's segments.</summary>
    public void Reset()
    {
        foreach (var c in _channels) c.Reset();
    }

    public PowerSpectrum[] Results() => _channels.Select(c => c.Result()).ToArray();

    public void Dispose()
    {
        foreach (var c in _channels) c.Dispose();
    }
}
