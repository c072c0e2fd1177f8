using System.Buffers;
using System.Numerics.Tensors;
using EphysPipeline.Core;
using EphysPipeline.Phase;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Spectral.Kernels;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>
/// Phase-locking per epoch: every needed band is band-passed (MNE FIR) within the block's margins, and one analytic
/// stream over all bands × channels feeds all-pairs PLV/wPLI, spike–field locking and PAC at the same samples.
/// Welch-segment coherence and mne-connectivity measures come from the unfiltered samples.
/// </summary>
internal sealed class PhaseStage : IBlockStage
{
    private readonly StageContext _context;
    private readonly PhaseSection _settings;
    private readonly List<BandFilter> _bands = [];
    private readonly Dictionary<string, string> _unusable = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<UnitInfo> _units;
    private readonly SpikeTrainStore? _spikeTrains;
    private readonly int[] _unitChannel;
    private readonly string?[] _unitProblem;
    private AnalyticSignalStream? _stream;
    private readonly int _streamChannels;
    private double[] _filteredStore = [];
    private long _runStart;
    private bool _runOpen;
    private PairwisePhaseAccumulator?[] _pairs = [];
    private SpikeFieldAccumulator[,] _spikes = new SpikeFieldAccumulator[0, 0];
    private ModulationIndexAccumulator[,] _pac = new ModulationIndexAccumulator[0, 0];
    private SegmentConnectivityAccumulator? _segments;
    private List<string> _segmentBands = [];

    /// <param name="spikeTrains">The units' spikes on the analysis grid (null without units or spike–field locking).</param>
    public PhaseStage(StageContext context, IReadOnlyList<UnitInfo> units, SpikeTrainStore? spikeTrains)
    {
        _context = context;
        _settings = context.Config.Phase;
        _units = units;
        foreach (var name in NeededBands(context.Config))
        {
            var (low, high) = context.Band(name);
            var band = PhaseBand.Design(name, low, high, context.SampleRate);
            if (band.Taps is not { } taps) _unusable[name] = band.Problem!;
            // One filter (FFT scratch) per worker, not per channel: 384 channels × 3 bands would hold ~0.5 GB.
            else _bands.Add(new BandFilter(name, taps, Enumerable.Range(0, context.Workers).Select(_ => new ZeroPhaseFir(taps, context.Backends.Fft)).ToArray()));
        }
        Margin = _bands.Count == 0 ? 0 : _bands.Max(b => b.Taps.Length / 2);
        _streamChannels = _bands.Count * context.ChannelCount;
        if (_bands.Count > 0)
        {
            // Each band leaves out its own filter length at both ends of a run (there the filter saw the gap's edge):
            // the stream emits from the shortest trim and holds back the longest, each consumer drops its own.
            _stream = new AnalyticSignalStream(_streamChannels, _bands.Min(b => b.Trim), context.Backends.Fft, OnAnalytic,
                maxDegreeOfParallelism: context.Workers, longestTrim: _bands.Max(b => b.Trim),
                memoryBytes: (long)(_settings.AnalyticMemoryMb * (1 << 20)));
        }

        _spikeTrains = spikeTrains;
        _unitChannel = new int[units.Count];
        _unitProblem = new string?[units.Count];
        for (int u = 0; u < units.Count; u++) (_unitChannel[u], _unitProblem[u]) = ChannelOf(units[u]);
    }

    /// <summary>How many bands the phase stage band-passes for a config (for memory planning).</summary>
    public static int BandCount(AnalysisConfig config) => NeededBands(config).Count;

    public string Name => "phase";

    public int Margin { get; }

    private static List<string> NeededBands(AnalysisConfig config)
    {
        var p = config.Phase;
        var names = new List<string>(p.Bands);
        if (p.SpikeField.Enabled) names.AddRange(p.SpikeField.Bands);
        if (p.Pac.Enabled) names.AddRange(p.Pac.AmplitudeBands.Prepend(p.Pac.PhaseBand));
        return names.Distinct().ToList();
    }

    private (int Channel, string? Problem) ChannelOf(UnitInfo unit)
    {
        var channels = _context.Channels;
        if (_settings.SpikeField.Channel != "own")
        {
            var region = _settings.SpikeField.Channel;
            int first = channels.ToList().FindIndex(c => string.Equals(c.Region, region, StringComparison.OrdinalIgnoreCase));
            return first >= 0 ? (first, null) : (-1, $"no good channel in region {region}");
        }
        foreach (var id in unit.ElectrodeIds)
        {
            int position = channels.ToList().FindIndex(c => c.ElectrodeId == id);
            if (position >= 0) return (position, null);
        }
        return unit.ElectrodeIds.Count == 0
            ? (-1, "the unit has no electrode in the file")
            : (-1, $"the unit's electrode ({string.Join(", ", unit.ElectrodeIds)}) is bad or not analysed");
    }

    public void BeginEpoch(EpochPlan epoch)
    {
        int channels = _context.ChannelCount;
        var blas = _context.Backends.Blas;
        // Built for the first epoch, reset for the next ones.
        if (_pairs.Length != _bands.Count)
        {
            // The bands append one after another: one set of update buffers serves them all.
            var scratch = channels >= 2 ? new PairwisePhaseScratch(channels) : null;
            _pairs = _bands.Select(b => scratch is not null && _settings.Bands.Contains(b.Name)
                ? new PairwisePhaseAccumulator(channels, blas, maxDegreeOfParallelism: _context.Workers, scratch: scratch) : null).ToArray();
        }
        else foreach (var accumulator in _pairs) accumulator?.Reset();
        var spikeBands = _settings.SpikeField.Enabled ? _settings.SpikeField.Bands : [];
        _spikes = new SpikeFieldAccumulator[_units.Count, spikeBands.Count];
        for (int u = 0; u < _units.Count; u++)
            for (int b = 0; b < spikeBands.Count; b++) _spikes[u, b] = new SpikeFieldAccumulator(_context.SampleRate);
        var ampBands = _settings.Pac.Enabled ? _settings.Pac.AmplitudeBands : [];
        _pac = new ModulationIndexAccumulator[channels, ampBands.Count];
        for (int c = 0; c < channels; c++)
            for (int a = 0; a < ampBands.Count; a++) _pac[c, a] = new ModulationIndexAccumulator(_settings.Pac.Bins);

        // One accumulator keeps the cross-spectra to the bands' bins (memory grows with pairs × bins) and transforms
        // each segment once for all bands; each band's means are over its own bins. Built for the first epoch and
        // reset for the next ones (its sums are 0.3 GB at 384 channels).
        if (_segments is not null) _segments.Reset();
        else if (_settings.Coherence && channels >= 2)
        {
            var welch = _context.Welch();
            var names = _settings.Bands.Where(b => !_unusable.ContainsKey(b)).ToList();
            if (names.Count > 0)
            {
                _segments = new SegmentConnectivityAccumulator(channels, _context.SampleRate, welch.SegmentLength, welch.Step,
                    names.Select(_context.Band).ToList(), _context.Backends.Fft, maxDegreeOfParallelism: _context.Workers);
                _segmentBands = names;
            }
        }
        _runOpen = false;
    }

    public void Consume(Block block)
    {
        if (block.Pieces.Count == 0) return;
        int channels = _context.ChannelCount;
        // Band-pass each channel over the whole extended row; the margins make the core exact.
        int stride = block.Stride;
        var filtered = EnsureFiltered(_bands.Count * channels * stride);
        _context.ForEachByWorker(_bands.Count * channels, (worker, i) =>
        {
            int b = i / channels, c = i % channels;
            _bands[b].Filters[worker].Apply(block.Row(c), filtered.AsSpan(i * stride, stride));
        });

        foreach (var piece in block.Pieces)
        {
            if (piece.NewRun) EndRun();
            if (!_runOpen)
            {
                _runStart = piece.Start;
                _runOpen = true;
            }
            int offset = block.Left + (int)(piece.Start - block.Start);
            // Both read the piece in place: the band-passed rows (band-major, one per band and channel) and the block.
            _stream?.Append(filtered.AsSpan(0, _streamChannels * stride), stride, offset, piece.Count);
            _segments?.Append(block.Data.AsSpan(0, channels * stride), stride, offset, piece.Count);
        }
    }

    private double[] EnsureFiltered(int length)
    {
        if (_filteredStore.Length < length) _filteredStore = new double[length];
        return _filteredStore;
    }

    private void EndRun()
    {
        if (!_runOpen) return;
        _stream?.CompleteRun();
        _segments?.EndRun();
        _runOpen = false;
    }

    // The block's samples in [trim, runEnd − trim): offset into the block and count.
    private static (int Offset, int Count) Within(long firstSample, int count, long runEnd, int trim)
    {
        long from = Math.Max(firstSample, trim);
        long to = Math.Min(firstSample + count, runEnd - trim);
        return to > from ? ((int)(from - firstSample), (int)(to - from)) : (0, 0);
    }

    // The stream's rows are band-major: band b's channels are rows [b · channels, (b + 1) · channels).
    private void OnAnalytic(AnalyticBlock all, long firstSample, long runEnd)
    {
        int channels = _context.ChannelCount;
        int count = all.Count;
        for (int b = 0; b < _bands.Count; b++)
        {
            if (_pairs[b] is not { } pairs) continue;
            var (offset, valid) = Within(firstSample, count, runEnd, _bands[b].Trim);
            if (valid > 0) pairs.Append(all.Rows(b * channels, channels).Samples(offset, valid));
        }

        long absolute = _runStart + firstSample;
        var spikeBands = _settings.SpikeField.Enabled ? _settings.SpikeField.Bands : [];
        for (int sb = 0; sb < spikeBands.Count; sb++)
        {
            int b = _bands.FindIndex(x => x.Name == spikeBands[sb]);
            if (b < 0) continue;
            var (offset, valid) = Within(firstSample, count, runEnd, _bands[b].Trim);
            if (valid == 0 || _spikeTrains is null) continue;
            _spikeTrains.Load(absolute + offset, absolute + offset + valid);
            for (int u = 0; u < _units.Count; u++)
            {
                int c = _unitChannel[u];
                if (c < 0) continue;
                int row = b * channels + c;
                _spikes[u, sb].Append(all.Real(row).Slice(offset, valid), all.Imaginary(row).Slice(offset, valid), absolute + offset,
                    _spikeTrains.Spikes(u));
            }
        }

        if (_settings.Pac.Enabled)
        {
            int phase = _bands.FindIndex(x => x.Name == _settings.Pac.PhaseBand);
            if (phase < 0) return;
            var amplitudeBands = _settings.Pac.AmplitudeBands.Select(name => _bands.FindIndex(x => x.Name == name)).ToArray();
            // Phase and amplitude at the same samples: those outside both bands' edge zones.
            var ranges = amplitudeBands.Select(a => a < 0 ? (0, 0)
                : Within(firstSample, count, runEnd, Math.Max(_bands[phase].Trim, _bands[a].Trim))).ToArray();
            // Channels are independent accumulators: binning runs on the session's threads.
            Parallel.For(0, channels, _context.Parallel, c =>
            {
                // The phase is the same for every amplitude band: one bin per sample, not one per band.
                var bins = ArrayPool<int>.Shared.Rent(count);
                var amplitudes = ArrayPool<double>.Shared.Rent(count);
                int phaseRow = phase * channels + c;
                if (amplitudeBands.Length > 0) _pac[c, 0].BinIndices(all.Real(phaseRow), all.Imaginary(phaseRow), bins);
                for (int a = 0; a < amplitudeBands.Length; a++)
                {
                    var (offset, valid) = ranges[a];
                    if (valid == 0) continue;
                    int row = amplitudeBands[a] * channels + c;
                    var amplitude = amplitudes.AsSpan(0, valid);
                    PowerAccumulate.Write(all.Real(row).Slice(offset, valid), all.Imaginary(row).Slice(offset, valid), amplitude);
                    TensorPrimitives.Sqrt(amplitude, amplitude);   // √(re² + im²), bit for bit
                    _pac[c, a].Append(bins.AsSpan(offset, valid), amplitude);
                }
                ArrayPool<int>.Shared.Return(bins);
                ArrayPool<double>.Shared.Return(amplitudes);
            });
        }
    }

    public void EndEpoch(EpochPlan epoch, SessionResult result)
    {
        EndRun();
        var channels = _context.Channels;
        foreach (var name in _settings.Bands)
        {
            int b = _bands.FindIndex(x => x.Name == name);
            var accumulator = b >= 0 ? _pairs[b] : null;
            var r = accumulator?.Result();
            for (int i = 0; i < channels.Count; i++)
                for (int j = i + 1; j < channels.Count; j++)
                {
                    AddPair(result, epoch, name, "plv", i, j, r?.PlvAt(i, j) ?? double.NaN);
                    AddPair(result, epoch, name, "wpli", i, j, r?.WpliAt(i, j) ?? double.NaN);
                    AddPair(result, epoch, name, "phase_diff_rad", i, j, r?.PhaseDifferenceAt(i, j) ?? double.NaN);
                }
        }
        if (_segments is not null)
        {
            foreach (var band in _segmentBands)
            {
                var (low, high) = _context.Band(band);
                SegmentRows(epoch, result, band, _segments.BandMeans(low, high));
            }
        }
        UnitRows(epoch, result);
        PacRows(epoch, result);
    }

    private void SegmentRows(EpochPlan epoch, SessionResult result, string name, SegmentConnectivityBandMeans r)
    {
        var measures = new (string Name, double[] Values)[]
        {
            ("coherence", r.Msc), ("coherency_abs", r.Coherence), ("imcoh", r.ImaginaryCoherence), ("plv_segments", r.Plv),
            ("ciplv_segments", r.Ciplv), ("pli_segments", r.Pli), ("wpli_segments", r.Wpli),
            ("wpli2_debiased_segments", r.Wpli2Debiased), ("ppc_segments", r.Ppc),
        };
        // Pairs come in (a, b), a < b order, the same as the rows.
        for (int pair = 0; pair < r.Pairs.Length; pair++)
        {
            var (i, j) = r.Pairs[pair];
            foreach (var (measure, values) in measures)
                AddPair(result, epoch, name, measure, i, j, r.Reason is not null ? double.NaN : values[pair]);
        }
    }

    private void UnitRows(EpochPlan epoch, SessionResult result)
    {
        if (!_settings.SpikeField.Enabled) return;
        var bands = _settings.SpikeField.Bands;
        for (int u = 0; u < _units.Count; u++)
            for (int sb = 0; sb < bands.Count; sb++)
            {
                var unit = _units[u];
                int c = _unitChannel[u];
                var channel = c >= 0 ? _context.Channels[c] : null;
                string? problem = _unitProblem[u] ?? (_unusable.TryGetValue(bands[sb], out var why) ? why : null);
                var r = problem is null ? _spikes[u, sb].Result() : null;
                result.Units.Add(new UnitRow(epoch.Name, unit.Id, channel?.ElectrodeId ?? -1, channel?.Region ?? unit.Region, bands[sb],
                    r?.Spikes ?? 0, r?.FiringRate ?? double.NaN, r?.Plv ?? double.NaN, r?.Ppc0 ?? double.NaN, r?.RayleighZ ?? double.NaN,
                    r?.RayleighP ?? double.NaN, r?.PreferredPhase ?? double.NaN, problem ?? r?.Reason ?? "ok"));
            }
    }

    private void PacRows(EpochPlan epoch, SessionResult result)
    {
        if (!_settings.Pac.Enabled) return;
        var pac = _settings.Pac;
        for (int c = 0; c < _context.ChannelCount; c++)
            for (int a = 0; a < pac.AmplitudeBands.Count; a++)
            {
                var channel = _context.Channels[c];
                var unusable = _unusable.GetValueOrDefault(pac.PhaseBand) ?? _unusable.GetValueOrDefault(pac.AmplitudeBands[a]);
                var r = unusable is null ? _pac[c, a].Result() : null;
                result.Metrics.Add(new MetricRow(epoch.Name, channel.ElectrodeId, channel.Region, "pac_mi", $"{pac.PhaseBand}:{pac.AmplitudeBands[a]}",
                    r?.Mi ?? double.NaN, 0, unusable ?? r?.Reason ?? "ok"));
            }
    }

    private void AddPair(SessionResult result, EpochPlan epoch, string band, string measure, int a, int b, double value)
    {
        var ca = _context.Channels[a];
        var cb = _context.Channels[b];
        result.Pairs.Add(new PairRow(epoch.Name, band, measure, ca.ElectrodeId, cb.ElectrodeId, ca.Region, cb.Region, value));
    }

    // The stream, the band-passed store and the cross-spectral sums are most of a 384-channel session's memory: let
    // them go before the outputs are assembled and written.
    public void EndPass()
    {
        _stream?.Dispose();
        _segments?.Dispose();
        _stream = null;
        _segments = null;
        _filteredStore = [];
        _pairs = [];
    }

    public void Dispose()
    {
        EndPass();
        foreach (var band in _bands)
            foreach (var f in band.Filters) f.Dispose();
    }

    private sealed record BandFilter(string Name, double[] Taps, ZeroPhaseFir[] Filters)
    {
        /// <summary>Samples left out at both ends of a run: the filter length, like the reference.</summary>
        public int Trim => Taps.Length;
    }
}
