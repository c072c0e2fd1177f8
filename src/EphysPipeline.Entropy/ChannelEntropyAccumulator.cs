using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral;

namespace EphysPipeline.Entropy;

/// <summary>
/// Streaming entropy of one channel over one epoch. <see cref="Append"/> continues the current contiguous run;
/// <see cref="StartNewRun"/> (after an artifact or gap) makes the next sample start a fresh run, so no window
/// straddles a gap. Each metric cuts its own non-overlapping windows from the run start; complete windows are
/// computed as soon as they fill, so memory is one ring of the longest window, whatever the recording length.
/// Not thread-safe: one accumulator per channel; different channels may run on different threads.
/// </summary>
public sealed class ChannelEntropyAccumulator : IDisposable
{
    private readonly EntropyOptions _options;
    private readonly WindowedMetric[] _metrics;
    private readonly double[] _ring;
    private readonly int _scratch;
    private long _runPosition;

    /// <param name="options">Metrics, windows and parameters; checked against the sample rate.</param>
    /// <param name="sampleRate">Samples per second of the data that will be appended.</param>
    /// <param name="fft">FFT for the spectral-entropy Welch PSD (the spectral engine's default when null).</param>
    public ChannelEntropyAccumulator(EntropyOptions options, double sampleRate, IFftProvider fft)
    {
        options.Validate(sampleRate);
        _options = options;
        SampleRate = sampleRate;
        var metrics = new List<WindowedMetric>();
        if (options.Has(EntropyMetrics.Spectral))
        {
            int segment = EntropyOptions.Samples(options.SpectralSegmentSeconds, sampleRate);
            metrics.Add(new SpectralMetric(EntropyOptions.Samples(options.SpectralWindowSeconds, sampleRate),
                new WelchAccumulator(new WelchOptions(sampleRate, segment, segment / 2), fft)));
        }
        if (options.Has(EntropyMetrics.Permutation))
            metrics.Add(new PermutationMetric(EntropyOptions.Samples(options.PermutationWindowSeconds, sampleRate), options));
        if (options.Has(EntropyMetrics.Sample))
            metrics.Add(new SampleMetric(EntropyOptions.Samples(options.SampleEntropyWindowSeconds, sampleRate), options));
        if (options.Has(EntropyMetrics.LempelZiv))
            metrics.Add(new LempelZivMetric(EntropyOptions.Samples(options.LempelZivWindowSeconds, sampleRate)));
        if (options.Has(EntropyMetrics.Multiscale))
            metrics.Add(new MultiscaleMetric(EntropyOptions.Samples(options.MultiscaleWindowSeconds, sampleRate), options));
        _metrics = [.. metrics];
        _ring = new double[_metrics.Length == 0 ? 1 : _metrics.Max(m => m.Length)];
        _scratch = _metrics.Length == 0 ? 1 : _metrics.Max(m => m.ScratchLength);
    }

    public double SampleRate { get; }

    /// <summary>Samples appended since the last <see cref="Reset"/>, over all runs.</summary>
    public long Samples { get; private set; }

    /// <summary>Continues the current run with <paramref name="block"/> (volts).</summary>
    public void Append(ReadOnlySpan<double> block)
    {
        Samples += block.Length;
        if (_metrics.Length == 0) return;
        while (!block.IsEmpty)
        {
            int chunk = block.Length;
            foreach (var metric in _metrics)
                chunk = (int)Math.Min(chunk, metric.Length - _runPosition % metric.Length);
            int at = (int)(_runPosition % _ring.Length);
            int first = Math.Min(chunk, _ring.Length - at);
            block[..first].CopyTo(_ring.AsSpan(at));
            block[first..chunk].CopyTo(_ring);
            block = block[chunk..];
            _runPosition += chunk;
            foreach (var metric in _metrics)
                if (_runPosition % metric.Length == 0) Complete(metric);
        }
    }

    /// <summary>The next sample starts a new run (windows never straddle the gap); a partial window is dropped.</summary>
    public void StartNewRun() => _runPosition = 0;

    /// <summary>Clears everything for a new epoch.</summary>
    public void Reset()
    {
        _runPosition = 0;
        Samples = 0;
        foreach (var metric in _metrics) metric.Clear();
    }

    /// <summary>The epoch's metrics so far: mean over valid windows, window counts and reasons.</summary>
    public EntropyChannelSummary Summary()
    {
        EntropyMetricSummary? Of<T>() where T : WindowedMetric => _metrics.OfType<T>().FirstOrDefault()?.Tally.Summary();
        var lz = _metrics.OfType<LempelZivMetric>().FirstOrDefault();
        var mse = _metrics.OfType<MultiscaleMetric>().FirstOrDefault();
        return new EntropyChannelSummary(
            Spectral: Of<SpectralMetric>(),
            Permutation: Of<PermutationMetric>(),
            Sample: Of<SampleMetric>(),
            LempelZiv: lz?.Tally.Summary(),
            LempelZivRaw: lz?.Raw.Summary(),
            MultiscaleArea: mse?.Tally.Summary(),
            MultiscalePerScale: mse?.PerScale.Select(t => t.Summary()).ToArray());
    }

    public void Dispose()
    {
        foreach (var metric in _metrics.OfType<SpectralMetric>()) metric.Dispose();
    }

    private void Complete(WindowedMetric metric)
    {
        var workspace = EntropyWorkspace.Current;
        workspace.Ensure(_ring.Length, _options.MultiscaleMaxScale, _scratch);
        int length = metric.Length;
        int start = (int)((_runPosition - length) % _ring.Length);
        int first = Math.Min(length, _ring.Length - start);
        // With the default windows (each a divisor of the longest) a window never wraps: read it in place.
        if (first == length)
        {
            metric.Compute(_ring.AsSpan(start, length), workspace);
            return;
        }
        var window = workspace.Window.AsSpan(0, length);
        _ring.AsSpan(start, first).CopyTo(window);
        _ring.AsSpan(0, length - first).CopyTo(window[first..]);
        metric.Compute(window, workspace);
    }

    private abstract class WindowedMetric(int length)
    {
        public int Length { get; } = length;
        public virtual int ScratchLength => Length;
        public MetricTally Tally { get; } = new();
        public abstract void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace);
        public virtual void Clear() => Tally.Clear();
    }

    private sealed class SpectralMetric(int length, WelchAccumulator welch) : WindowedMetric(length), IDisposable
    {
        public override void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace)
        {
            var issue = WindowCheck.Inspect(window);
            if (issue != EntropyIssue.None)
            {
                Tally.Add(EntropyValue.Invalid(issue));
                return;
            }
            welch.Reset();
            welch.Append(window);
            Tally.Add(SpectralEntropy.FromPsd(welch.Result().Power, workspace.Scratch));
        }

        public void Dispose() => welch.Dispose();
    }

    private sealed class PermutationMetric(int length, EntropyOptions options) : WindowedMetric(length)
    {
        public override void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace) =>
            Tally.Add(PermutationEntropy.Compute(window, options.PermutationOrder, options.PermutationDelay, workspace.Histogram));
    }

    private sealed class SampleMetric(int length, EntropyOptions options) : WindowedMetric(length)
    {
        public override int ScratchLength => SampleEntropy.ScratchLength(Length, options.SampleEntropyOrder);

        public override void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace) =>
            Tally.Add(SampleEntropy.Compute(window, options.SampleEntropyOrder, options.ToleranceFactor, workspace.Scratch));
    }

    private sealed class LempelZivMetric(int length) : WindowedMetric(length)
    {
        public MetricTally Raw { get; } = new();

        public override void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace)
        {
            var (raw, normalized) = LempelZiv.ComputeMedianSplit(window, workspace.Scratch, workspace.Bits, workspace.Automaton);
            Raw.Add(raw);
            Tally.Add(normalized);
        }

        public override void Clear()
        {
            base.Clear();
            Raw.Clear();
        }
    }

    private sealed class MultiscaleMetric(int length, EntropyOptions options) : WindowedMetric(length)
    {
        public MetricTally[] PerScale { get; } = Enumerable.Range(0, options.MultiscaleMaxScale).Select(_ => new MetricTally()).ToArray();

        public override int ScratchLength => MultiscaleEntropy.ScratchLength(Length, options.SampleEntropyOrder);

        public override void Compute(ReadOnlySpan<double> window, EntropyWorkspace workspace)
        {
            var scales = workspace.Scales.AsSpan(0, PerScale.Length);
            Tally.Add(MultiscaleEntropy.Compute(window, options.SampleEntropyOrder, options.ToleranceFactor, scales, workspace.Scratch));
            for (int i = 0; i < scales.Length; i++) PerScale[i].Add(scales[i]);
        }

        public override void Clear()
        {
            base.Clear();
            foreach (var t in PerScale) t.Clear();
        }
    }
}
