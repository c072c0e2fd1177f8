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
    private readonly int[] _filled;
    private readonly double[][] _sums;
    private readonly int[] _windows;
    private readonly Band[] _bands;
    private readonly Band _total;
    private double[] _frequencies = [];

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
        Array.Clear(_sums);
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
                    AddWindow(c, _estimators[worker].Compute(_buffers[c]).Spectrum);
                    _filled[c] = 0;
                }
            }
        });

    private void AddWindow(int c, PowerSpectrum spectrum)
    {
        if (!spectrum.IsValid) return;
        _frequencies = spectrum.Frequencies;
        var sum = _sums[c] ??= new double[spectrum.Power.Length];
        for (int k = 0; k < sum.Length; k++) sum[k] += spectrum.Power[k];
        _windows[c]++;
    }

    public void EndEpoch(EpochPlan epoch, SessionResult result)
    {
        var spectra = new PowerSpectrum?[_context.ChannelCount];
        for (int c = 0; c < spectra.Length; c++)
        {
            var channel = _context.Channels[c];
            PowerSpectrum? psd = _windows[c] == 0 ? null
                : new PowerSpectrum(_context.SampleRate, _frequencies, _sums[c].Select(v => v / _windows[c]).ToArray(), _windows[c], null);
            spectra[c] = psd;
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
        if (_frequencies.Length == 0) return;
        var values = new double[spectra.Length * _frequencies.Length];
        for (int c = 0; c < spectra.Length; c++)
        {
            var row = values.AsSpan(c * _frequencies.Length, _frequencies.Length);
            if (spectra[c] is { } psd) psd.Power.CopyTo(row);
            else row.Fill(double.NaN);
        }
        result.Spectra.Add(new SpectralArray($"psd_mt_{epoch.Name}", _frequencies, null,
            _context.Channels.Select(ch => ch.ElectrodeId).ToArray(), _context.Channels.Select(ch => ch.Region).ToArray(), values) { Epoch = epoch.Name });
    }

    public void Dispose()
    {
        foreach (var e in _estimators) e.Dispose();
    }
}
