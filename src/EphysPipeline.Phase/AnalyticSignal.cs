using System.Numerics;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Phase;

/// <summary>
/// The imaginary part of scipy.signal.hilbert's analytic signal (whose real part is x): X = FFT(x), zero DC and
/// Nyquist, multiply the positive frequencies by −i, inverse real FFT, divide by n.
/// </summary>
public static class AnalyticSignal
{
    /// <summary>
    /// Writes the Hilbert transform of <paramref name="x"/> (length n = fft.Length) into <paramref name="output"/>,
    /// in the transform's own buffers. Allocation-free.
    /// </summary>
    public static void Hilbert(ReadOnlySpan<double> x, Span<double> output, IRealFft fft)
    {
        int n = fft.Length;
        int half = n / 2;
        if (x.Length != n || output.Length < n)
            throw new ArgumentException($"Hilbert transform of length {n}: input {x.Length}, output {output.Length}");
        x.CopyTo(fft.RealBuffer);
        fft.ForwardBuffers();
        var spec = fft.SpectrumBuffer;
        double scale = 1.0 / n;
        spec[0] = Complex.Zero;
        int last = n % 2 == 0 ? half - 1 : half;
        for (int k = 1; k <= last; k++) spec[k] = new Complex(spec[k].Imaginary * scale, -spec[k].Real * scale);
        if (n % 2 == 0 && half > 0) spec[half] = Complex.Zero;
        fft.InverseBuffers();
        fft.RealBuffer.CopyTo(output);
    }
}
