using EphysPipeline.Spectral;
using EphysPipeline.Spectral.Aperiodic;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>Welch PSD per channel and epoch, band power (absolute, relative, dB) and the PSD array for spectra.h5.</summary>
internal sealed class SpectralStage : IBlockStage
{
    private readonly StageContext _context;
    private readonly WelchAccumulator[] _welch;
    private readonly Band[] _bands;
    private readonly Band _total;
    private readonly AperiodicOptions? _aperiodic;

    public SpectralStage(StageContext context)
    {
        _context = context;
        var s = context.Config.Spectral;
        var options = context.Welch();
        _welch = Enumerable.Range(0, context.ChannelCount).Select(_ => new WelchAccumulator(options, context.Backends.Fft)).ToArray();
        _bands = context.Bands();
        _total = context.TotalBand();
        var a = s.Aperiodic;
        if (a.Enabled)
            _aperiodic = new AperiodicOptions(a.RangeHz[0], a.RangeHz[1], a.Mode == "knee" ? AperiodicMode.Knee : AperiodicMode.Fixed,
                a.PeakWidthLimits[0], a.PeakWidthLimits[1], a.MaxPeaks, a.MinPeakHeight, a.PeakThreshold);
    }

    public string Name => "spectral";

    public int Margin => 0;

    public void BeginEpoch(EpochPlan epoch)
    {
        foreach (var w in _welch) w.Reset();
    }

    public void Consume(Block block) =>
        Parallel.For(0, _welch.Length, _context.Parallel, c =>
        {
            foreach (var piece in block.Pieces)
            {
                if (piece.NewRun) _welch[c].StartNewRun();
                _welch[c].Append(block.Samples(c, piece.Start, piece.Count));
            }
        });

    public void EndEpoch(EpochPlan epoch, SessionResult result)
    {
        // The PSDs and their aperiodic fits on the session's threads (each channel on its own); rows in channel order.
        var spectra = new PowerSpectrum[_welch.Length];
        var fits = new AperiodicFit?[_welch.Length];
        Parallel.For(0, _welch.Length, _context.Parallel, c =>
        {
            spectra[c] = _welch[c].Result();
            if (_aperiodic is not null && spectra[c].IsValid) fits[c] = SpecParam.Fit(spectra[c], _aperiodic);
        });
        for (int c = 0; c < spectra.Length; c++)
        {
            var channel = _context.Channels[c];
            var psd = spectra[c];
            foreach (var band in _bands)
            {
                Add(result, epoch, c, "band_power", band.Name, BandPower.Absolute(psd, band), psd.Segments);
                Add(result, epoch, c, "relative_power", band.Name, BandPower.Relative(psd, band, _total), psd.Segments);
                Add(result, epoch, c, "band_power_db", band.Name, BandPower.Decibels(psd, band), psd.Segments);
            }
            if (_aperiodic is not null) AddAperiodic(result, epoch, c, psd, fits[c], _aperiodic);
        }
        var first = spectra[0];
        var values = new double[spectra.Length * first.Frequencies.Length];
        for (int c = 0; c < spectra.Length; c++) spectra[c].Power.CopyTo(values, c * first.Frequencies.Length);
        result.Spectra.Add(new SpectralArray($"psd_{epoch.Name}", first.Frequencies, null,
            _context.Channels.Select(ch => ch.ElectrodeId).ToArray(), _context.Channels.Select(ch => ch.Region).ToArray(), values) { Epoch = epoch.Name });
    }

    private void AddAperiodic(SessionResult result, EpochPlan epoch, int c, PowerSpectrum psd, AperiodicFit? fit, AperiodicOptions options)
    {
        string status = psd.Reason ?? fit!.Reason ?? "ok";
        void Row(string metric, string band, double value) => Add(result, epoch, c, metric, band, new BandValue(value, status == "ok" ? null : status), psd.Segments);
        Row("aperiodic_offset", "", fit?.Offset ?? double.NaN);
        Row("aperiodic_exponent", "", fit?.Exponent ?? double.NaN);
        if (options.Mode == AperiodicMode.Knee) Row("aperiodic_knee", "", fit?.Knee ?? double.NaN);
        Row("aperiodic_r2", "", fit?.RSquared ?? double.NaN);
        Row("aperiodic_error", "", fit?.Error ?? double.NaN);
        Row("aperiodic_n_peaks", "", fit is { IsValid: true } ? fit.Peaks.Length : double.NaN);
        if (fit is not { IsValid: true }) return;
        for (int k = 0; k < fit.Peaks.Length; k++)
        {
            var peak = fit.Peaks[k];
            Row("peak_frequency_hz", $"peak{k + 1}", peak.CenterFrequency);
            Row("peak_power_log10", $"peak{k + 1}", peak.Power);
            Row("peak_bandwidth_hz", $"peak{k + 1}", peak.Bandwidth);
        }
    }

    private void Add(SessionResult result, EpochPlan epoch, int c, string metric, string band, BandValue value, int windows)
    {
        var channel = _context.Channels[c];
        result.Metrics.Add(new MetricRow(epoch.Name, channel.ElectrodeId, channel.Region, metric, band, value.Value,
            windows, value.Reason ?? "ok"));
    }

    public void Dispose()
    {
        foreach (var w in _welch) w.Dispose();
    }
}
