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
    /// Writes the Hilbert transform of <paramref name="x"/> (length n = fft.Length) into <paramref name="output"/>.
    /// <paramref name="spectrum"/> is scratch of n/2 + 1 complex values. Allocation-free.
    /// </summary>
    public static void Hilbert(ReadOnlySpan<double> x, Span<double> output, IRealFft fft, Span<Complex> spectrum)
    {
        int n = fft.Length;
        int half = n / 2;
        if (x.Length != n || output.Length < n || spectrum.Length < half + 1)
            throw new ArgumentException($"Hilbert transform of length {n}: input {x.Length}, output {output.Length}, scratch {spectrum.Length}");
        var spec = spectrum[..(half + 1)];
        fft.Forward(x, spec);
        double scale = 1.0 / n;
        spec[0] = Complex.Zero;
        int last = n % 2 == 0 ? half - 1 : half;
        for (int k = 1; k <= last; k++) spec[k] = new Complex(spec[k].Imaginary * scale, -spec[k].Real * scale);
        if (n % 2 == 0 && half > 0) spec[half] = Complex.Zero;
        fft.Inverse(spec, output[..n]);
    }
}
