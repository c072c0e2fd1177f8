using System.Numerics;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Preprocessing.Filters;

/// <summary>
/// Zero-phase FIR filtering as MNE's filter_data (phase='zero'): y[t] = Σₖ h[k]·x[t + (L−1)/2 − k], with the
/// signal extended at both ends by MNE's pad='reflect_limited' (x[−j] = 2x[0] − x[j] for j ≤ min(L, n) − 1,
/// zero beyond). Computed by FFT overlap-save on a fixed grid of blocks anchored at sample 0, so every output
/// sample comes from the same block whatever range is asked: chunked output is bitwise equal to whole output.
/// Non-finite samples make exactly the outputs within (L−1)/2 of them NaN (not the whole FFT block), as a direct
/// convolution would. One instance per thread (it owns an FFT plan and buffers); no allocation per call.
/// </summary>
public sealed class ZeroPhaseFir : IDisposable
{
    private readonly IRealFft _fft;
    private readonly double[] _responseReDup;
    private readonly double[] _responseImSigned;
    private int[] _nonFinite = [];

    /// <param name="taps">Odd number of filter coefficients (e.g. from <see cref="FirDesign"/>).</param>
    /// <param name="fft">FFT backend; FFTW by default.</param>
    /// <param name="fftLength">Block FFT length (≥ 2L − 1); by default a power of two about 4 L.</param>
    public ZeroPhaseFir(ReadOnlySpan<double> taps, IFftProvider fft, int? fftLength = null)
    {
        if (taps.Length % 2 != 1) throw new ArgumentException($"zero-phase filtering needs an odd number of taps, got {taps.Length}", nameof(taps));
        Taps = taps.ToArray();
        HalfLength = (taps.Length - 1) / 2;
        FftLength = fftLength ?? DefaultFftLength(taps.Length);
        if (FftLength < 2 * taps.Length - 1) throw new ArgumentOutOfRangeException(nameof(fftLength), FftLength, $"FFT length must be at least 2·{taps.Length} − 1");
        Step = FftLength - taps.Length + 1;
        _fft = fft.CreateReal(FftLength);
        var block = _fft.RealBuffer;
        block.Clear();
        taps.CopyTo(block);
        _fft.ForwardBuffers();
        var response = _fft.SpectrumBuffer;
        _responseReDup = new double[2 * response.Length];
        _responseImSigned = new double[2 * response.Length];
        double scale = 1.0 / FftLength;
        for (int k = 0; k < response.Length; k++)
        {
            double re = response[k].Real * scale, im = response[k].Imaginary * scale;
            _responseReDup[2 * k] = re;
            _responseReDup[2 * k + 1] = re;
            _responseImSigned[2 * k] = -im;
            _responseImSigned[2 * k + 1] = im;
        }
    }

    /// <summary>The filter coefficients.</summary>
    public IReadOnlyList<double> Taps { get; }

    /// <summary>(L − 1)/2: samples of context each output needs on each side.</summary>
    public int HalfLength { get; }

    /// <summary>FFT block length.</summary>
    public int FftLength { get; }

    /// <summary>Output samples per FFT block (the grid step).</summary>
    public int Step { get; }

    /// <summary>The power of two ≥ 2L − 1 (at most 2^20) minimising F·(log₂F + 1)/(F − L + 1), FFT work per output; a longer one must save 3 %.</summary>
    public static int DefaultFftLength(int tapCount)
    {
        int minimum = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2 * tapCount - 1, 2));
        int best = minimum;
        double bestCost = double.PositiveInfinity;
        for (int n = minimum; n <= Math.Max(minimum, 1 << 20); n *= 2)
        {
            double cost = n * (Math.Log2(n) + 1) / (n - tapCount + 1);
            if (cost < bestCost * 0.97)
            {
                best = n;
                bestCost = cost;
            }
        }
        return best;
    }

    /// <summary>Filters a whole signal (MNE edges). <paramref name="output"/> has the input's length.</summary>
    public void Apply(ReadOnlySpan<double> input, Span<double> output)
    {
        if (output.Length != input.Length) throw new ArgumentException("output length must equal input length");
        ApplyRange(input, 0, input.Length, 0, output);
    }

    /// <summary>
    /// Filters samples [outputStart, outputStart + output.Length) of a signal of <paramref name="totalLength"/>
    /// samples of which <paramref name="source"/> holds [sourceStart, sourceStart + source.Length).
    /// The source must cover <see cref="SourceRange"/> of the same output range.
    /// </summary>
    public void ApplyRange(ReadOnlySpan<double> source, long sourceStart, long totalLength, long outputStart, Span<double> output)
    {
        if (output.IsEmpty) return;
        var (needStart, needStop) = SourceRange(totalLength, outputStart, output.Length);
        if (sourceStart > needStart || sourceStart + source.Length < needStop)
            throw new ArgumentException($"source [{sourceStart}, {sourceStart + source.Length}) does not cover [{needStart}, {needStop})");
        long outputStop = outputStart + output.Length;
        long firstBlock = outputStart / Step, lastBlock = (outputStop - 1) / Step;
        // MNE pads min(L, n) − 1 samples; only the first (L − 1)/2 of them reach an output sample.
        int reflect = (int)Math.Min(Math.Max(Math.Min(Taps.Count, totalLength) - 1, 0), HalfLength);
        for (long b = firstBlock; b <= lastBlock; b++)
        {
            long blockOut = b * Step;
            long position = blockOut - HalfLength;
            FillBlock(source, sourceStart, totalLength, reflect, position);
            int nonFinite = ZeroNonFinite();
            // In the transform's own buffers: the block is filled there and the output read from there.
            _fft.ForwardBuffers();
            SpectrumMultiply.Apply(_fft.SpectrumBuffer, _responseReDup, _responseImSigned);
            _fft.InverseBuffers();
            long from = Math.Max(blockOut, outputStart), to = Math.Min(blockOut + Step, outputStop);
            var destination = output.Slice((int)(from - outputStart), (int)(to - from));
            _fft.RealBuffer.Slice((int)(from - blockOut + Taps.Count - 1), (int)(to - from)).CopyTo(destination);
            for (int i = 0; i < nonFinite; i++)
            {
                long p = position + _nonFinite[i];
                long lo = Math.Max(p - HalfLength, from), hi = Math.Min(p + HalfLength + 1, to);
                if (hi > lo) destination.Slice((int)(lo - from), (int)(hi - lo)).Fill(double.NaN);
            }
        }
    }

    /// <summary>Replaces NaN/∞ in the block by 0 and records where they were; returns how many.</summary>
    private int ZeroNonFinite()
    {
        // A finite sum means every value is finite: the common case costs one vectorised pass.
        var block = _fft.RealBuffer;
        if (double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<double>(block))) return 0;
        if (_nonFinite.Length == 0) _nonFinite = new int[FftLength];
        int count = 0;
        for (int j = 0; j < block.Length; j++)
        {
            if (!double.IsFinite(block[j]))
            {
                _nonFinite[count++] = j;
                block[j] = 0;
            }
        }
        return count;
    }

    /// <summary>The input samples [start, stop) (clipped to the signal) that filtering an output range reads.</summary>
    public (long Start, long Stop) SourceRange(long totalLength, long outputStart, int outputCount)
    {
        if (outputStart < 0 || outputCount < 0 || outputStart + outputCount > totalLength)
            throw new ArgumentOutOfRangeException(nameof(outputStart), $"output [{outputStart}, {outputStart + outputCount}) is outside the signal [0, {totalLength})");
        if (outputCount == 0) return (outputStart, outputStart);
        long firstBlock = outputStart / Step, lastBlock = (outputStart + outputCount - 1) / Step;
        long start = firstBlock * Step - HalfLength, stop = lastBlock * Step - HalfLength + FftLength;
        return (Math.Max(start, 0), Math.Min(stop, totalLength));
    }

    /// <summary>The transform's input = extended signal at positions [position, position + FftLength).</summary>
    private void FillBlock(ReadOnlySpan<double> source, long sourceStart, long totalLength, int reflect, long position)
    {
        var block = _fft.RealBuffer;
        long stop = position + FftLength;
        long inStart = Math.Max(position, 0), inStop = Math.Min(stop, totalLength);
        if (inStop > inStart) source.Slice((int)(inStart - sourceStart), (int)(inStop - inStart)).CopyTo(block[(int)(inStart - position)..]);
        for (long p = position; p < Math.Min(0, stop); p++)
        {
            long j = -p;
            block[(int)(p - position)] = j <= reflect ? 2 * source[(int)(-sourceStart)] - source[(int)(j - sourceStart)] : 0;
        }
        for (long p = Math.Max(position, totalLength); p < stop; p++)
        {
            long j = p - (totalLength - 1);
            block[(int)(p - position)] = j <= reflect ? 2 * source[(int)(totalLength - 1 - sourceStart)] - source[(int)(totalLength - 1 - j - sourceStart)] : 0;
        }
    }

    public void Dispose() => _fft.Dispose();
}
