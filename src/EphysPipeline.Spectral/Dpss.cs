using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral;

/// <summary>DPSS (Slepian) tapers, each of unit 2-norm before any periodic truncation, and their concentration ratios.</summary>
public sealed record DpssTapers(double[][] Tapers, double[] Ratios)
{
    public int Count => Tapers.Length;
}

/// <summary>
/// Discrete prolate spheroidal sequences as scipy.signal.windows.dpss(M, NW, Kmax, sym, norm=2, return_ratios=True):
/// eigenvectors of the Slepian tridiagonal matrix for its Kmax largest eigenvalues, signs by Percival &amp; Walden
/// (even tapers sum positive, odd tapers start with a positive lobe), concentration ratios from the autocorrelation.
/// Periodic (sym=False) tapers are computed at M + 1 points and truncated, as scipy does.
/// </summary>
public static class Dpss
{
    public static DpssTapers Compute(int length, double halfBandwidth, int count, bool periodic, IFftProvider fft)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, length);
        if (!(halfBandwidth > 0) || halfBandwidth >= length / 2.0)
            throw new ArgumentOutOfRangeException(nameof(halfBandwidth), halfBandwidth, "NW must be in (0, M/2)");
        int m = periodic ? length + 1 : length;
        double w = halfBandwidth / m;
        var d = new double[m];
        var e = new double[m - 1];
        double c = Math.Cos(2 * Math.PI * w);
        for (int i = 0; i < m; i++)
        {
            double h = (m - 1 - 2.0 * i) / 2.0;
            d[i] = h * h * c;
        }
        for (int i = 1; i < m; i++) e[i - 1] = i * (double)(m - i) / 2.0;

        var full = new double[count][];
        var work = new double[5 * m];
        var e2 = e.Select(v => v * v).ToArray();
        var (low, high) = TridiagonalEigen.Bounds(d, e);
        double threshold = Math.Max(1e-7, 1.0 / m);
        for (int k = 0; k < count; k++)
        {
            // Eigenvalues come out in descending order, so each one bounds the next from above.
            double lambda = TridiagonalEigen.Eigenvalue(d, e2, m - 1 - k, low, high);
            high = lambda;
            var v = new double[m];
            TridiagonalEigen.Eigenvector(d, e, lambda, v, work);
            bool flip;
            if (k % 2 == 0)
            {
                double sum = 0;
                foreach (var x in v) sum += x;
                flip = sum < 0;
            }
            else
            {
                flip = false;
                foreach (var x in v)
                {
                    if (x * x > threshold)
                    {
                        flip = x < 0;
                        break;
                    }
                }
            }
            if (flip)
                for (int i = 0; i < m; i++) v[i] = -v[i];
            full[k] = v;
        }

        var ratios = ConcentrationRatios(full, w, fft);
        var tapers = periodic ? full.Select(v => v[..length]).ToArray() : full;
        return new DpssTapers(tapers, ratios);
    }

    // λ_k = Σ_m r_xx[m]·r[m], r[0] = 2W, r[m] = 4W·sinc(2Wm): the fraction of energy inside [−W, W].
    private static double[] ConcentrationRatios(double[][] tapers, double w, IFftProvider provider)
    {
        int m = tapers[0].Length;
        // Zero padding to ≥ 2m − 1 makes the circular autocorrelation linear; a power of two keeps FFTW fast.
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * m - 1));
        var r = new double[m];
        r[0] = 2 * w;
        for (int i = 1; i < m; i++)
        {
            double arg = Math.PI * 2 * w * i;
            r[i] = 4 * w * Math.Sin(arg) / arg;
        }
        using var fft = provider.CreateReal(size);
        var padded = new double[size];
        var spectrum = new Complex[size / 2 + 1];
        var autocorrelation = new double[size];
        var ratios = new double[tapers.Length];
        for (int k = 0; k < tapers.Length; k++)
        {
            Array.Clear(padded);
            tapers[k].CopyTo(padded, 0);
            fft.Forward(padded, spectrum);
            for (int j = 0; j < spectrum.Length; j++)
                spectrum[j] = new Complex(spectrum[j].Real * spectrum[j].Real + spectrum[j].Imaginary * spectrum[j].Imaginary, 0);
            fft.Inverse(spectrum, autocorrelation);
            double sum = 0;
            for (int i = 0; i < m; i++) sum += autocorrelation[i] / size * r[i];
            ratios[k] = sum;
        }
        return ratios;
    }
}
