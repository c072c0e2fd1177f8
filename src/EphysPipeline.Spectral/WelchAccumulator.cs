using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral;

/// <summary>
/// Streaming Welch PSD of one channel, equal to scipy.signal.welch(window='hann', detrend='constant',
/// scaling='density', return_onesided=True) on each contiguous run. Mean averaging keeps a running sum of
/// |X|² (segments added in stream order, so the result does not depend on threading); median averaging keeps
/// every segment's periodogram (bins × segments) and applies scipy's median bias.
/// Segments holding NaN/∞ are skipped and counted in <see cref="SkippedSegments"/>.
/// </summary>
public sealed class WelchAccumulator : IDisposable
{
    private readonly WelchSegmenter _segmenter;
    private readonly Sink _sink;

    public WelchAccumulator(WelchOptions options, IFftProvider fft)
    {
        Options = options;
        _segmenter = new WelchSegmenter(options.SegmentLength, options.Overlap, fft);
        _sink = new Sink(options.Bins, options.Average == WelchAverage.Median);
    }

    public WelchOptions Options { get; }

    /// <summary>Segments averaged so far.</summary>
    public int Segments => _sink.Count;

    /// <summary>Segments dropped because they held NaN/∞ samples.</summary>
    public int SkippedSegments => _sink.Skipped;

    /// <summary>Samples appended since construction or <see cref="Reset"/> (all runs).</summary>
    public long Samples { get; private set; }

    /// <summary>Continues the current contiguous run.</summary>
    public void Append(ReadOnlySpan<double> block)
    {
        Samples += block.Length;
        _segmenter.Append(block, _sink);
    }

    /// <summary>A gap follows: no segment will straddle it.</summary>
    public void StartNewRun() => _segmenter.StartNewRun();

    /// <summary>Forgets everything (e.g. at a new epoch) but keeps the buffers.</summary>
    public void Reset()
    {
        _segmenter.StartNewRun();
        _sink.Clear();
        Samples = 0;
    }

    /// <summary>The PSD over all segments so far (NaN with a reason when there is none).</summary>
    public PowerSpectrum Result()
    {
        var o = Options;
        if (o.Average == WelchAverage.Mean || _sink.Count == 0)
            return MeanResult(o, _segmenter.WindowSumOfSquares, _sink.Sum, _sink.Count, _sink.Skipped, Samples);
        var psd = new double[o.Bins];
        var column = new double[_sink.Count];
        for (int k = 0; k < o.Bins; k++)
        {
            for (int s = 0; s < _sink.Count; s++) column[s] = _sink.Rows[s * o.Bins + k];
            psd[k] = Median(column);
        }
        Scale(psd, 1.0 / (o.SampleRate * _segmenter.WindowSumOfSquares * MedianBias.Of(_sink.Count)));
        DoubleOneSided(psd, o.SegmentLength);
        return new PowerSpectrum(o.SampleRate, PowerSpectrum.BinFrequencies(o.Bins, o.Resolution), psd, _sink.Count, null);
    }

    /// <summary>
    /// The mean-averaged PSD from Σ|X|² over <paramref name="count"/> finite segments (added in stream order), or
    /// NaN with the reason when there is none.
    /// </summary>
    /// <param name="bins">The first bins to return (a spectrogram's kept bins); default all.</param>
    internal static PowerSpectrum MeanResult(WelchOptions o, double windowSumOfSquares, ReadOnlySpan<double> sum, int count, int skipped, long samples,
        int? bins = null)
    {
        int kept = bins ?? o.Bins;
        var freqs = PowerSpectrum.BinFrequencies(kept, o.Resolution);
        if (count == 0)
        {
            string reason = skipped > 0 ? $"all {skipped} segments contain NaN or infinite samples"
                : samples == 0 ? "all windows rejected (no samples)"
                : $"no contiguous run as long as one segment ({o.SegmentLength} samples); epoch or runs too short";
            return PowerSpectrum.Invalid(o.SampleRate, freqs, 0, reason);
        }
        var psd = new double[kept];
        sum[..kept].CopyTo(psd);
        Scale(psd, 1.0 / (o.SampleRate * windowSumOfSquares * count));
        DoubleOneSided(psd, o.SegmentLength, o.Bins);
        return new PowerSpectrum(o.SampleRate, freqs, psd, count, null);
    }

    /// <summary>
    /// scipy's one-sided rule: every bin doubled except DC and, for even n, Nyquist; <paramref name="psd"/> may hold
    /// only the first of the <paramref name="bins"/> bins (default: all of them).
    /// </summary>
    internal static void DoubleOneSided(Span<double> psd, int n, int? bins = null)
    {
        int all = bins ?? psd.Length;
        int last = Math.Min(psd.Length, n % 2 == 0 ? all - 1 : all);
        for (int k = 1; k < last; k++) psd[k] *= 2;
    }

    private static void Scale(Span<double> values, double factor)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, factor, values);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    public void Dispose() => _segmenter.Dispose();

    private sealed class Sink(int bins, bool keepRows) : ISegmentSink
    {
        public readonly double[] Sum = new double[bins];
        public double[] Rows = keepRows ? new double[bins * 16] : [];
        public int Count;
        public int Skipped;

        public void OnSegment(ReadOnlySpan<Complex> spectrum, bool finite, long startSample)
        {
            if (!finite)
            {
                Skipped++;
                return;
            }
            if (keepRows)
            {
                if ((Count + 1) * bins > Rows.Length) Array.Resize(ref Rows, Rows.Length * 2);
                PowerAccumulate.Write(spectrum, Rows.AsSpan(Count * bins, bins));
            }
            else
            {
                PowerAccumulate.Add(spectrum, Sum);
            }
            Count++;
        }

        public void Clear()
        {
            Array.Clear(Sum);
            Count = 0;
            Skipped = 0;
        }
    }
}
