using System.Numerics;
using EphysPipeline.Backends.Managed;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Native.Fftw.Tests;

/// <summary>
/// The managed provider gives FFTW's transforms to 1e-12 relative (largest difference over the largest FFTW
/// magnitude) at the lengths the engines use: power-of-two filter and Hilbert windows, 2 s Welch segments (1000,
/// 2000 samples), 10 s multitaper windows, odd and prime lengths of Hilbert tails and short runs.
/// </summary>
public class ManagedMatchesFftwTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int> Lengths => new() { 1, 2, 3, 8, 999, 1000, 1009, 2000, 2001, 4096, 10_000, 16_384, 30_000 };

    private static double[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    private static double RelativeError(ReadOnlySpan<Complex> actual, ReadOnlySpan<Complex> expected)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, (actual[i] - expected[i]).Magnitude);
            scale = Math.Max(scale, expected[i].Magnitude);
        }
        return diff / scale;
    }

    private static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return diff / scale;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TransformsInTheirOwnBuffersGiveTheSameBitsAsTheCopyingCalls(int n)
    {
        var x = Noise(n, n + 7);
        foreach (IFftProvider provider in new IFftProvider[] { FftwProvider.Shared, FftSharpProvider.Shared })
        {
            using var fft = provider.CreateReal(n);
            var expected = new Complex[n / 2 + 1];
            fft.Forward(x, expected);
            var back = new double[n];
            fft.Inverse(expected, back);

            x.CopyTo(fft.RealBuffer);
            fft.ForwardBuffers();
            Assert.Equal(x, fft.RealBuffer.ToArray());                 // the input is kept
            Assert.Equal(expected, fft.SpectrumBuffer.ToArray());
            fft.InverseBuffers();
            Assert.Equal(back, fft.RealBuffer.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RealForwardAndInverse(int n)
    {
        var x = Noise(n, n + 1);
        using var fftw = FftwProvider.Shared.CreateReal(n);
        using var managed = FftSharpProvider.Shared.CreateReal(n);
        var expected = new Complex[n / 2 + 1];
        var actual = new Complex[n / 2 + 1];
        fftw.Forward(x, expected);
        managed.Forward(x, actual);
        Assert.True(RelativeError(actual, expected) <= Tolerance, $"forward n={n}: {RelativeError(actual, expected):E2}");

        var back = new double[n];
        var backManaged = new double[n];
        fftw.Inverse(expected, back);
        managed.Inverse(expected, backManaged);
        Assert.True(RelativeError(backManaged, back) <= Tolerance, $"inverse n={n}: {RelativeError(backManaged, back):E2}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ComplexBothWays(int n)
    {
        var x = Noise(2 * n, 2 * n + 3);
        var z = Enumerable.Range(0, n).Select(i => new Complex(x[2 * i], x[2 * i + 1])).ToArray();
        using var fftw = FftwProvider.Shared.CreateComplex(n);
        using var managed = FftSharpProvider.Shared.CreateComplex(n);
        var expected = new Complex[n];
        var actual = new Complex[n];
        fftw.Forward(z, expected);
        managed.Forward(z, actual);
        Assert.True(RelativeError(actual, expected) <= Tolerance, $"forward n={n}: {RelativeError(actual, expected):E2}");
        fftw.Inverse(z, expected);
        managed.Inverse(z, actual);
        Assert.True(RelativeError(actual, expected) <= Tolerance, $"inverse n={n}: {RelativeError(actual, expected):E2}");
    }

    [Fact]
    public void InverseIgnoresImaginaryPartsOfDcAndNyquistLikeFftw()
    {
        foreach (int n in new[] { 16, 2000, 999 })
        {
            var spectrum = Noise(2 * (n / 2 + 1), n).Chunk(2).Select(p => new Complex(p[0], p[1])).ToArray();
            var expected = new double[n];
            var actual = new double[n];
            FftwProvider.Shared.CreateReal(n).Inverse(spectrum, expected);
            FftSharpProvider.Shared.CreateReal(n).Inverse(spectrum, actual);
            Assert.True(RelativeError(actual, expected) <= Tolerance, $"n={n}: {RelativeError(actual, expected):E2}");
        }
    }

    [Fact]
    public void SameBitsOnEveryThread()
    {
        const int n = 2000;
        var x = Noise(n, 5);
        var reference = new Complex[n / 2 + 1];
        FftSharpProvider.Shared.CreateReal(n).Forward(x, reference);
        Parallel.For(0, 4, _ =>
        {
            using var fft = FftSharpProvider.Shared.CreateReal(n);
            var spectrum = new Complex[n / 2 + 1];
            for (int rep = 0; rep < 10; rep++)
            {
                fft.Forward(x, spectrum);
                Assert.True(spectrum.AsSpan().SequenceEqual(reference));
            }
        });
    }

    [Fact]
    public void NameSaysManaged() => Assert.StartsWith("fftsharp-2.2", FftSharpProvider.Shared.Name);
}
