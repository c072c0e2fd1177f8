using EphysPipeline.Entropy;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>Entropy and complexity per channel and epoch: the mean over the epoch's clean windows.</summary>
internal sealed class EntropyStage : IBlockStage
{
    private readonly StageContext _context;
    private readonly ChannelEntropyAccumulator[] _channels;
    private readonly int _factor;
    private readonly ZeroPhaseFir[] _antiAlias;
    private readonly double[][] _filtered;
    private readonly double[][] _decimated;

    public EntropyStage(StageContext context)
    {
        _context = context;
        var options = Options(context.Config.Entropy);
        _factor = context.Config.Entropy.Decimate;
        double rate = context.SampleRate / _factor;
        options.Validate(rate);
        _channels = Enumerable.Range(0, context.ChannelCount).Select(_ => new ChannelEntropyAccumulator(options, rate, context.Backends.Fft)).ToArray();
        // entropy.decimate: the resample_poly anti-alias filter within the block margins, then every q-th sample
        // on the recording's grid (absolute sample index divisible by q), so block boundaries do not matter.
        var taps = _factor > 1 ? FirDesign.DecimationTaps(_factor) : [];
        _antiAlias = _factor > 1 ? Enumerable.Range(0, context.ChannelCount).Select(_ => new ZeroPhaseFir(taps, context.Backends.Fft)).ToArray() : [];
        _filtered = new double[_antiAlias.Length][];
        _decimated = new double[_antiAlias.Length][];
        Margin = taps.Length / 2;
    }

    public static EntropyOptions Options(EntropySection e)
    {
        var metrics = EntropyMetrics.None;
        if (e.Spectral.Enabled) metrics |= EntropyMetrics.Spectral;
        if (e.Permutation.Enabled) metrics |= EntropyMetrics.Permutation;
        if (e.Sample.Enabled) metrics |= EntropyMetrics.Sample;
        if (e.Lz.Enabled) metrics |= EntropyMetrics.LempelZiv;
        if (e.Multiscale.Enabled) metrics |= EntropyMetrics.Multiscale;
        return new EntropyOptions
        {
            Metrics = metrics,
            SpectralWindowSeconds = e.Spectral.WindowS,
            SpectralSegmentSeconds = e.Spectral.SegmentS,
            PermutationWindowSeconds = e.Permutation.WindowS,
            PermutationOrder = e.Permutation.Order,
            PermutationDelay = e.Permutation.Delay,
            SampleEntropyWindowSeconds = e.Sample.WindowS,
            SampleEntropyOrder = e.Sample.Order,
            ToleranceFactor = e.Sample.R,
            LempelZivWindowSeconds = e.Lz.WindowS,
            MultiscaleWindowSeconds = e.Multiscale.WindowS,
            MultiscaleMaxScale = e.Multiscale.Scales,
        };
    }

    public string Name => "entropy";

    public int Margin { get; }

    public void BeginEpoch(EpochPlan epoch)
    {
        foreach (var c in _channels) c.Reset();
    }

    public void Consume(Block block) =>
        Parallel.For(0, _channels.Length, _context.Parallel, c =>
        {
            if (_factor > 1) Filter(block, c);
            foreach (var piece in block.Pieces)
            {
                if (piece.NewRun) _channels[c].StartNewRun();
                _channels[c].Append(_factor > 1 ? Decimate(block, c, piece) : block.Samples(c, piece.Start, piece.Count));
            }
        });

    private void Filter(Block block, int c)
    {
        if (_filtered[c] is not { } buffer || buffer.Length < block.Stride) _filtered[c] = buffer = new double[block.Stride];
        _antiAlias[c].Apply(block.Row(c), buffer.AsSpan(0, block.Stride));
    }

    private ReadOnlySpan<double> Decimate(Block block, int c, Piece piece)
    {
        long first = (piece.Start + _factor - 1) / _factor * _factor;
        long end = piece.Start + piece.Count;
        int count = first >= end ? 0 : (int)((end - 1 - first) / _factor + 1);
        if (_decimated[c] is not { } output || output.Length < count) _decimated[c] = output = new double[Math.Max(count, 1)];
        var filtered = _filtered[c];
        int offset = block.Left + (int)(first - block.Start);
        for (int k = 0; k < count; k++) output[k] = filtered[offset + k * _factor];
        return output.AsSpan(0, count);
    }

    public void EndEpoch(EpochPlan epoch, SessionResult result)
    {
        for (int c = 0; c < _channels.Length; c++)
        {
            var s = _channels[c].Summary();
            Add(result, epoch, c, "spectral_entropy", s.Spectral);
            Add(result, epoch, c, "perm_entropy", s.Permutation);
            Add(result, epoch, c, "sample_entropy", s.Sample);
            Add(result, epoch, c, "lz_complexity", s.LempelZiv);
            Add(result, epoch, c, "lz_phrases", s.LempelZivRaw);
            Add(result, epoch, c, "mse_area", s.MultiscaleArea);
            if (s.MultiscalePerScale is { } scales)
                for (int k = 0; k < scales.Count; k++) Add(result, epoch, c, $"mse_scale_{k + 1}", scales[k]);
        }
    }

    private void Add(SessionResult result, EpochPlan epoch, int c, string metric, EntropyMetricSummary? summary)
    {
        if (summary is null) return;
        var channel = _context.Channels[c];
        result.Metrics.Add(new MetricRow(epoch.Name, channel.ElectrodeId, channel.Region, metric, "", summary.Mean,
            summary.ValidWindows, summary.Reason ?? "ok"));
    }

    public void Dispose()
    {
        foreach (var c in _channels) c.Dispose();
        foreach (var f in _antiAlias) f.Dispose();
    }
}
