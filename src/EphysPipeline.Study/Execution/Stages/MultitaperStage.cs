using EphysPipeline.Core;
using EphysPipeline.Spectral;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>
/// Multitaper PSD (MNE psd_array_multitaper, normalization 'full') per channel and epoch: the mean over the epoch's
/// clean, non-overlapping windows of spectral.multitaper.window_s; band power from it as band_power_mt.
/// </summary>
internal sealed class MultitaperStage : IBlockStage
{
    private readonly StageContext _context;
    private readonly MultitaperEstimator[] _estimators;
    private readonly int _window;
    private readonly double[][] _buffers;
    private readonly double[][] _psd;
    private readonly int[] _filled;
    private readonly double[][] _sums;
    private readonly int[] _windows;
    private readonly Band[] _bands;
    private readonly Band _total;
    private readonly double[] _frequencies;

    public MultitaperStage(StageContext context)
    {
        _context = context;
        var s = context.Config.Spectral;
        _window = context.Samples(s.Multitaper.WindowS);
        var options = new MultitaperOptions(s.Multitaper.BandwidthHz, s.Multitaper.Adaptive, s.Multitaper.LowBias);
        // Tapers are costly to compute: computed once, shared by one estimator per worker (same tapers, same bits).
        var first = new MultitaperEstimator(_window, context.SampleRate, context.Backends.Fft, options);
        _estimators = [first, .. Enumerable.Range(1, Math.Max(1, Math.Min(context.Threads, context.ChannelCount)) - 1)
            .Select(_ => first.ForAnotherThread(context.Backends.Fft))];
        _buffers = Enumerable.Range(0, context.ChannelCount).Select(_ => new double[_window]).ToArray();
        // One window's PSD per worker: windows are summed from it, so the pass makes no garbage per window.
        _frequencies = first.Frequencies.ToArray();
        _psd = _estimators.Select(_ => new double[_frequencies.Length]).ToArray();
        _filled = new int[context.ChannelCount];
        _sums = new double[context.ChannelCount][];
        _windows = new int[context.ChannelCount];
        _bands = context.Bands();
        _total = context.TotalBand();
    }

    public string Name => "multitaper";

    public int Margin => 0;

    public void BeginEpoch(EpochPlan epoch)
    {
        Array.Clear(_filled);
        Array.Clear(_windows);
        // Each channel's sums are kept for the next epoch; a channel with no window yet holds stale sums, which
        // AddWindow clears at its first window.
    }

    public void Consume(Block block) =>
        WorkSplit.ForEachByWorker(_estimators.Length, _context.ChannelCount, (worker, c) =>
        {
            foreach (var piece in block.Pieces)
            {
                if (piece.NewRun) _filled[c] = 0;
                var samples = block.Samples(c, piece.Start, piece.Count);
                while (!samples.IsEmpty)
                {
                    int take = Math.Min(_window - _filled[c], samples.Length);
                    samples[..take].CopyTo(_buffers[c].AsSpan(_filled[c]));
                    _filled[c] += take;
                    samples = samples[take..];
                    if (_filled[c] < _window) continue;
                    if (_estimators[worker].ComputeInto(_buffers[c], _psd[worker]) is null) AddWindow(c, _psd[worker]);
                    _filled[c] = 0;
                }
            }
        });

    private void AddWindow(int c, ReadOnlySpan<double> psd)
    {
        var sum = _sums[c] ??= new double[psd.Length];
        if (_windows[c] == 0) Array.Clear(sum);
        for (int k = 0; k < sum.Length; k++) sum[k] += psd[k];
        _windows[c]++;
    }

    public void EndEpoch(EpochPlan epoch, SessionResult result)
    {
        // The epoch's PSDs go straight into the rows written out; band power reads each through one reused mean.
        // The spectra are written once any channel has had a window in this or an earlier epoch (its sums exist).
        var values = Array.TrueForAll(_sums, s => s is null) ? null : new double[_context.ChannelCount * _frequencies.Length];
        var mean = new double[_frequencies.Length];
        for (int c = 0; c < _context.ChannelCount; c++)
        {
            var channel = _context.Channels[c];
            PowerSpectrum? psd = null;
            if (_windows[c] > 0)
            {
                for (int k = 0; k < mean.Length; k++) mean[k] = _sums[c][k] / _windows[c];
                psd = new PowerSpectrum(_context.SampleRate, _frequencies, mean, _windows[c], null);
            }
            if (values is not null)
            {
                var row = values.AsSpan(c * _frequencies.Length, _frequencies.Length);
                if (psd is not null) mean.CopyTo(row);
                else row.Fill(double.NaN);
            }
            string? why = psd is null ? $"no clean {_context.Config.Spectral.Multitaper.WindowS} s window in the epoch" : null;
            foreach (var band in _bands)
            {
                var absolute = psd is null ? new BandValue(double.NaN, why) : BandPower.Absolute(psd, band);
                var relative = psd is null ? new BandValue(double.NaN, why) : BandPower.Relative(psd, band, _total);
                result.Metrics.Add(new MetricRow(epoch.Name, channel.ElectrodeId, channel.Region, "band_power_mt", band.Name,
                    absolute.Value, _windows[c], absolute.Reason ?? "ok"));
                result.Metrics.Add(new MetricRow(epoch.Name, channel.ElectrodeId, channel.Region, "relative_power_mt", band.Name,
                    relative.Value, _windows[c], relative.Reason ?? "ok"));
            }
        }
        if (values is null) return;
        result.Spectra.Add(new SpectralArray($"psd_mt_{epoch.Name}", _frequencies, null,
            _context.Channels.Select(ch => ch.ElectrodeId).ToArray(), _context.Channels.Select(ch => ch.Region).ToArray(), values) { Epoch = epoch.Name });
    }

    public void Dispose()
    {
        foreach (var e in _estimators) e.Dispose();
    }
}
