using EphysPipeline.Core;
using EphysPipeline.Spectral;
using EphysPipeline.Study.Config;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>What every stage of a session knows: settings, the analysed channels, the rate, the thread budget, the backends.</summary>
internal sealed record StageContext(
    AnalysisConfig Config,
    double SampleRate,
    IReadOnlyList<ChannelInfo> Channels,
    int Threads,
    ComputeBackends Backends,
    Action<string> Warn)
{
    public int ChannelCount => Channels.Count;

    public ParallelOptions Parallel => new() { MaxDegreeOfParallelism = Workers };

    /// <summary>Threads the stages use (at least one).</summary>
    public int Workers => Math.Max(1, Threads);

    /// <summary>Items 0..count−1 on <see cref="Workers"/> workers (<see cref="WorkSplit.ForEachByWorker"/>).</summary>
    public void ForEachByWorker(int count, Action<int, int> body) => WorkSplit.ForEachByWorker(Workers, count, body);

    public int Samples(double seconds) => (int)Math.Round(seconds * SampleRate);

    /// <summary>Welch segments as configured (spectral.segment_s, overlap, average): PSDs, spectrogram, coherence.</summary>
    public WelchOptions Welch()
    {
        var s = Config.Spectral;
        int segment = Samples(s.SegmentS);
        return new WelchOptions(SampleRate, segment, (int)Math.Round(segment * s.Overlap),
            s.Average == "median" ? WelchAverage.Median : WelchAverage.Mean);
    }

    /// <summary>The configured bands, in config order.</summary>
    public Band[] Bands() => Config.Spectral.Bands.Select(b => new Band(b.Key, b.Value[0], b.Value[1])).ToArray();

    /// <summary>The range relative power is taken against (spectral.total_range).</summary>
    public Band TotalBand() => new("total", Config.Spectral.TotalRange[0], Config.Spectral.TotalRange[1]);

    /// <summary>The configured band of this name (validated by the config loader to exist).</summary>
    public (double Low, double High) Band(string name)
    {
        var b = Config.Spectral.Bands[name];
        return (b[0], b[1]);
    }
}
