using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral;

/// <summary>Receives each Welch segment's spectrum. The span is only valid during the call.</summary>
public interface ISegmentSink
{
    /// <param name="spectrum">FFT of the detrended, Hann-windowed segment (n/2 + 1 bins, unscaled).</param>
    /// <param name="finite">False when the segment held NaN/∞; the spectrum is then meaningless and should be skipped.</param>
    /// <param name="startSample">Index of the segment's first sample, counted over everything appended so far.</param>
    void OnSegment(ReadOnlySpan<Complex> spectrum, bool finite, long startSample);
}

/// <summary>
/// Cuts a stream into Welch segments (periodic Hann, constant detrend) and hands each segment's FFT to a sink.
/// Append continues the current contiguous run; <see cref="StartNewRun"/> drops the partial segment so that no
/// segment straddles a gap (an artifact or a missing stretch). One instance per thread; no allocation per segment.
/// The phase engine reuses it for cross-spectra: feed two segmenters the same blocks and pair their segments.
/// </summary>
public sealed class WelchSegmenter : IDisposable
{
    private readonly IRealFft _fft;
    private readonly double[] _window;
    private readonly double[] _buffer;
    private int _filled;
    private long _position;

    public WelchSegmenter(int segmentLength, int overlap, IFftProvider fft)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, segmentLength);
        SegmentLength = segmentLength;
        Step = segmentLength - overlap;
        _fft = fft.CreateReal(segmentLength);
        _window = PeriodicHann.Create(segmentLength);
        _buffer = new double[segmentLength];
        double sumSquares = 0;
        foreach (var w in _window) sumSquares += w * w;
        WindowSumOfSquares = sumSquares;
    }

    public int SegmentLength { get; }
    public int Step { get; }
    public int Bins => SegmentLength / 2 + 1;

    /// <summary>Σ w², the density normalisation (PSD = |X|² / (fs · Σ w²)).</summary>
    public double WindowSumOfSquares { get; }

    public ReadOnlySpan<double> Window => _window;

    /// <summary>Samples appended since construction (all runs), i.e. the stream position of the next sample.</summary>
    public long Position => _position;

    /// <summary>Continues the current run with <paramref name="block"/>, emitting every segment it completes.</summary>
    public void Append<TSink>(ReadOnlySpan<double> block, TSink sink) where TSink : ISegmentSink
    {
        while (!block.IsEmpty)
        {
            int take = Math.Min(SegmentLength - _filled, block.Length);
            block[..take].CopyTo(_buffer.AsSpan(_filled));
            block = block[take..];
            _filled += take;
            _position += take;
            if (_filled < SegmentLength) continue;
            bool finite = TransformInPlace(_buffer);
            sink.OnSegment(_fft.SpectrumBuffer, finite, _position - SegmentLength);
            _buffer.AsSpan(Step).CopyTo(_buffer);
            _filled = SegmentLength - Step;
        }
    }

    /// <summary>Ends the current run (a gap follows): samples not yet in a full segment are discarded.</summary>
    public void StartNewRun() => _filled = 0;

    /// <summary>Skips <paramref name="samples"/> of stream (a rejected stretch): ends the run and advances the position.</summary>
    public void Skip(long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        _filled = 0;
        _position += samples;
    }

    /// <summary>Detrend, window and FFT one segment; false if it holds NaN/∞.</summary>
    public bool Transform(ReadOnlySpan<double> segment, Span<Complex> spectrum)
    {
        if (segment.Length != SegmentLength) throw new ArgumentException($"segment must hold {SegmentLength} samples", nameof(segment));
        if (!TransformInPlace(segment)) return false;
        _fft.SpectrumBuffer.CopyTo(spectrum);
        return true;
    }

    // Detrended and windowed into the transform's own input; the spectrum is left in its own output.
    private bool TransformInPlace(ReadOnlySpan<double> segment)
    {
        if (!DetrendWindow.Apply(segment, _window, _fft.RealBuffer)) return false;
        _fft.ForwardBuffers();
        return true;
    }

    public void Dispose() => _fft.Dispose();
}
