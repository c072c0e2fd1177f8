using EphysPipeline.Core.Fft;

namespace EphysPipeline.Spectral;

/// <summary>One-shot Welch PSD of an in-memory signal (one contiguous run).</summary>
public static class Welch
{
    public static PowerSpectrum Compute(ReadOnlySpan<double> signal, WelchOptions options, IFftProvider fft)
    {
        using var acc = new WelchAccumulator(options, fft);
        acc.Append(signal);
        return acc.Result();
    }
}
