using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Phase;
using EphysPipeline.Spectral;

namespace EphysPipeline.Benchmarks.Coherence;

/// <summary>
/// The scalar accumulator <see cref="SegmentConnectivityAccumulator"/> replaced (one segment at a time, one
/// <see cref="Complex"/> pair × bin after another, one thread), kept as the same-run baseline of
/// <see cref="CoherenceBenchmarks"/>; <see cref="CoherenceBenchmarks.Setup"/> checks both agree.
/// </summary>
internal sealed class ScalarSegmentConnectivity : IDisposable
{
    private readonly int _segment;
    private readonly int _step;
    private readonly int _firstBin;
    private readonly int _bins;
    private readonly bool[] _bad;
    private readonly (int A, int B)[] _pairs;
    private readonly double[] _buffer;      // channels × segment
    private readonly Complex[] _spectrumScratch;
    private readonly Complex[] _spectra;    // channels × bins, current segment
    private readonly double[] _power;       // channels × bins
    private readonly Complex[] _cross;      // pairs × bins: Σ S
    private readonly Complex[] _unitCross;  // Σ S/|S|
    private readonly double[] _signImag;    // Σ sign(Im S)
    private readonly double[] _absImag;     // Σ |Im S|
    private readonly double[] _sqImag;      // Σ (Im S)²
    private readonly WelchSegmenter _transform;
    private int _filled;

    /// <param name="channels">Channels per appended block.</param>
    /// <param name="sampleRate">Sampling rate (Hz), to label bins.</param>
    /// <param name="segmentLength">Samples per segment (nperseg).</param>
    /// <param name="step">Samples between segment starts (nperseg − noverlap).</param>
    /// <param name="minFrequency">Lowest frequency kept (Hz), inclusive.</param>
    /// <param name="maxFrequency">Highest frequency kept (Hz), inclusive; capped at Nyquist.</param>
    public ScalarSegmentConnectivity(int channels, double sampleRate, int segmentLength, int step,
        double minFrequency, double maxFrequency, IFftProvider fft, ReadOnlySpan<bool> badChannels = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 2);
        if (step < 1 || step > segmentLength) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be in 1..segmentLength");
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        if (!badChannels.IsEmpty && badChannels.Length != channels)
            throw new ArgumentException($"bad-channel mask has {badChannels.Length} entries for {channels} channels");
        Channels = channels;
        _segment = segmentLength;
        _step = step;
        double resolution = sampleRate / segmentLength;
        _firstBin = (int)Math.Max(0, Math.Ceiling(minFrequency / resolution - 1e-9));
        int lastBin = (int)Math.Min(segmentLength / 2, Math.Floor(maxFrequency / resolution + 1e-9));
        _bins = Math.Max(0, lastBin - _firstBin + 1);
        Frequencies = new double[_bins];
        for (int k = 0; k < _bins; k++) Frequencies[k] = (_firstBin + k) * resolution;
        _bad = badChannels.IsEmpty ? new bool[channels] : badChannels.ToArray();
        var pairs = new List<(int, int)>();
        for (int a = 0; a < channels; a++)
            for (int b = a + 1; b < channels; b++) pairs.Add((a, b));
        _pairs = [.. pairs];
        _buffer = new double[channels * segmentLength];
        _spectrumScratch = new Complex[segmentLength / 2 + 1];
        _spectra = new Complex[channels * _bins];
        _power = new double[channels * _bins];
        int cells = _pairs.Length * _bins;
        _cross = new Complex[cells];
        _unitCross = new Complex[cells];
        _signImag = new double[cells];
        _absImag = new double[cells];
        _sqImag = new double[cells];
        _transform = new WelchSegmenter(segmentLength, segmentLength - step, fft);
    }

    public int Channels { get; }

    public double[] Frequencies { get; }

    /// <summary>Segments accumulated so far.</summary>
    public int Segments { get; private set; }

    /// <summary>Complete segments skipped because a good channel held NaN/∞ in them.</summary>
    public int SkippedSegments { get; private set; }

    /// <summary>Continues the current run with <paramref name="count"/> samples per channel (channel-major).</summary>
    public void Append(ReadOnlySpan<double> channelMajor, int count)
    {
        if (channelMajor.Length != (long)Channels * count)
            throw new ArgumentException($"block holds {channelMajor.Length} values, expected {Channels}×{count}");
        int offset = 0;
        while (offset < count)
        {
            int take = Math.Min(count - offset, _segment - _filled);
            for (int c = 0; c < Channels; c++)
                channelMajor.Slice(c * count + offset, take).CopyTo(_buffer.AsSpan(c * _segment + _filled, take));
            _filled += take;
            offset += take;
            if (_filled < _segment) continue;
            AccumulateSegment();
            int keep = _segment - _step;
            for (int c = 0; c < Channels; c++)
            {
                var row = _buffer.AsSpan(c * _segment, _segment);
                row.Slice(_step, keep).CopyTo(row);
            }
            _filled = keep;
        }
    }

    /// <summary>Ends the current run: a partial segment is dropped, the next append starts a new run.</summary>
    public void EndRun() => _filled = 0;

    private void AccumulateSegment()
    {
        for (int c = 0; c < Channels; c++)
        {
            if (_bad[c]) continue;
            if (!_transform.Transform(_buffer.AsSpan(c * _segment, _segment), _spectrumScratch))
            {
                SkippedSegments++;
                return;
            }
            _spectrumScratch.AsSpan(_firstBin, _bins).CopyTo(_spectra.AsSpan(c * _bins, _bins));
        }
        for (int c = 0; c < Channels; c++)
        {
            if (_bad[c]) continue;
            var spectrum = _spectra.AsSpan(c * _bins, _bins);
            for (int k = 0; k < _bins; k++)
                _power[c * _bins + k] += spectrum[k].Real * spectrum[k].Real + spectrum[k].Imaginary * spectrum[k].Imaginary;
        }
        for (int p = 0; p < _pairs.Length; p++)
        {
            var (a, b) = _pairs[p];
            if (_bad[a] || _bad[b]) continue;
            var xa = _spectra.AsSpan(a * _bins, _bins);
            var xb = _spectra.AsSpan(b * _bins, _bins);
            int cell = p * _bins;
            for (int k = 0; k < _bins; k++, cell++)
            {
                var s = xa[k] * Complex.Conjugate(xb[k]);
                _cross[cell] += s;
                double magnitude = Complex.Abs(s);
                // S = 0 has no phase; it adds nothing to the phase-based sums.
                if (magnitude > 0) _unitCross[cell] += s / magnitude;
                double im = s.Imaginary;
                _signImag[cell] += Math.Sign(im);
                _absImag[cell] += Math.Abs(im);
                _sqImag[cell] += im * im;
            }
        }
        Segments++;
    }

    public SegmentConnectivityResult Result()
    {
        int cells = _pairs.Length * _bins;
        double[] msc = new double[cells], coh = new double[cells], imcoh = new double[cells], plv = new double[cells],
            ciplv = new double[cells], pli = new double[cells], wpli = new double[cells], wpli2 = new double[cells], ppc = new double[cells];
        int good = _bad.Count(b => !b);
        string? reason = Segments == 0 ? "no complete segment in the analysed time"
            : good < 2 ? "fewer than two good channels"
            : _bins == 0 ? "no frequency bin in the requested range" : null;
        double n = Segments;
        for (int p = 0; p < _pairs.Length; p++)
        {
            var (a, b) = _pairs[p];
            bool usable = reason is null && !_bad[a] && !_bad[b];
            for (int k = 0; k < _bins; k++)
            {
                int cell = p * _bins + k;
                if (!usable)
                {
                    msc[cell] = coh[cell] = imcoh[cell] = plv[cell] = ciplv[cell] = pli[cell] = wpli[cell] = wpli2[cell] = ppc[cell] = double.NaN;
                    continue;
                }
                double powerProduct = _power[a * _bins + k] * _power[b * _bins + k];
                var cross = _cross[cell];
                double magnitude = Complex.Abs(cross);
                coh[cell] = magnitude / Math.Sqrt(powerProduct);
                msc[cell] = magnitude * magnitude / powerProduct;
                imcoh[cell] = cross.Imaginary / Math.Sqrt(powerProduct);
                var unit = _unitCross[cell] / n;
                plv[cell] = Complex.Abs(unit);
                ciplv[cell] = Math.Abs(unit.Imaginary) / Math.Sqrt(1 - unit.Real * unit.Real);
                pli[cell] = Math.Abs(_signImag[cell] / n);
                double sumImag = cross.Imaginary, sumAbs = _absImag[cell], sumSq = _sqImag[cell];
                wpli[cell] = Math.Abs(sumImag) / sumAbs;
                wpli2[cell] = (sumImag * sumImag - sumSq) / (sumAbs * sumAbs - sumSq);
                var unitSum = _unitCross[cell];
                ppc[cell] = (unitSum.Real * unitSum.Real + unitSum.Imaginary * unitSum.Imaginary - n) / (n * (n - 1));
            }
        }
        return new SegmentConnectivityResult(Segments, _pairs, (double[])Frequencies.Clone(), msc, coh, imcoh, plv, ciplv, pli,
            wpli, wpli2, ppc, reason);
    }

    public void Dispose() => _transform.Dispose();
}
