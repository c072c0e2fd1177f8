using EphysPipeline.Backends.Managed;
using EphysPipeline.Core.Fft;
using EphysPipeline.Native.Fftw;

namespace EphysPipeline.Benchmarks;

/// <summary>The FFT providers the FFT-heavy benchmarks compare, by the name their [Params] use (as in execution.fft).</summary>
public static class BenchFft
{
    public const string Fftw = "fftw";
    public const string Managed = "managed";

    public static IFftProvider Provider(string name) => name switch
    {
        Fftw => FftwProvider.Shared,
        Managed => FftSharpProvider.Shared,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "fftw or managed"),
    };
}
