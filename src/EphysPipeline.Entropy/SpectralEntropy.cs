using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral;

namespace EphysPipeline.Entropy;

/// <summary>
/// Normalised spectral entropy: Shannon entropy (bits) of a PSD normalised to sum 1 over all bins including DC,
/// divided by log2(number of bins) — antropy.spectral_entropy(normalize=True) given the same PSD. Sums run in
/// numpy's order.
/// </summary>
public static class SpectralEntropy
{
    /// <summary>Spectral entropy of one PSD; <paramref name="scratch"/> needs psd.Length values.</summary>
    public static EntropyValue FromPsd(ReadOnlySpan<double> psd, Span<double> scratch)
    {
        if (psd.Length < 2) return EntropyValue.Invalid(EntropyIssue.TooShort);
        double total = NumpyReduction.Sum(psd);
        if (!double.IsFinite(total)) return EntropyValue.Invalid(EntropyIssue.NonFinite);
        if (!(total > 0)) return EntropyValue.Invalid(EntropyIssue.ConstantWindow);
        var terms = scratch[..psd.Length];
        double ln2 = Math.Log(2.0);
        for (int i = 0; i < psd.Length; i++)
        {
            double p = psd[i] / total;
            if (p < 0) return EntropyValue.Invalid(EntropyIssue.NonFinite);
            terms[i] = p > 0 ? p * Math.Log(p) / ln2 : 0.0;
        }
        return EntropyValue.Of(-NumpyReduction.Sum(terms) / Math.Log2(psd.Length));
    }

    /// <summary>As above, allocating its scratch.</summary>
    public static EntropyValue FromPsd(ReadOnlySpan<double> psd) => FromPsd(psd, new double[psd.Length]);

    /// <summary>
    /// Spectral entropy of a signal from the spectral engine's Welch PSD (periodic Hann, 50 % overlap, constant
    /// detrend, mean): antropy.spectral_entropy(x, fs, method='welch', nperseg, normalize=True).
    /// </summary>
    public static EntropyValue Welch(ReadOnlySpan<double> x, double sampleRate, int segmentLength, IFftProvider fft)
    {
        if (segmentLength < 2 || x.Length < segmentLength) return EntropyValue.Invalid(EntropyIssue.TooShort);
        var issue = WindowCheck.Inspect(x);
        if (issue != EntropyIssue.None) return EntropyValue.Invalid(issue);
        var psd = Spectral.Welch.Compute(x, new WelchOptions(sampleRate, segmentLength, segmentLength / 2), fft);
        return FromPsd(psd.Power);
    }
}
