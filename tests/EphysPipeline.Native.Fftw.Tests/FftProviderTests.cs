using System.Numerics;
using EphysPipeline.Backends.Managed;
using EphysPipeline.Core.Fft;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Native.Fftw.Tests;

/// <summary>FFTW against the MathNet reference.</summary>
public sealed class FftwProviderTests : FftProviderContract
{
    protected override IFftProvider Provider => FftwProvider.Shared;

    [Fact]
    public void NameReportsFftwVersion() => Assert.StartsWith("fftw-3", FftwProvider.Shared.Name);
}

/// <summary>The managed FftSharp + Bluestein provider against the same reference and checks.</summary>
public sealed class FftSharpProviderTests : FftProviderContract
{
    protected override IFftProvider Provider => FftSharpProvider.Shared;
}

/// <summary>Every FFT provider passes these (MathNet's pattern: one body of tests, compiled once per provider).</summary>
public abstract class FftProviderContract
{
    protected abstract IFftProvider Provider { get; }

    private static double[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(1000)]
    [InlineData(2001)]
    public void RealForwardMatchesManagedReference(int n)
    {
        var x = Noise(n, n);
        var expected = new Complex[n / 2 + 1];
        var actual = new Complex[n / 2 + 1];
        ManagedFftProvider.Instance.CreateReal(n).Forward(x, expected);
        using var fft = Provider.CreateReal(n);
        fft.Forward(x, actual);
        for (int k = 0; k < expected.Length; k++)
            Assert.True((expected[k] - actual[k]).Magnitude <= 1e-12 * Math.Max(1, n), $"bin {k}: {expected[k]} vs {actual[k]}");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(999)]
    public void RealRoundTripIsNTimesInput(int n)
    {
        var x = Noise(n, 7);
        using var fft = Provider.CreateReal(n);
        var spectrum = new Complex[n / 2 + 1];
        var back = new double[n];
        fft.Forward(x, spectrum);
        fft.Inverse(spectrum, back);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] * n, back[i], 1e-9);
    }

    [Fact]
    public void SingleMatchesDouble()
    {
        const int n = 512;
        var x = Noise(n, 3);
        var spectrum = new Complex[n / 2 + 1];
        Provider.CreateReal(n).Forward(x, spectrum);
        using var single = Provider.CreateRealSingle(n);
        var interleaved = new float[2 * (n / 2 + 1)];
        single.Forward(x.Select(v => (float)v).ToArray(), interleaved);
        for (int k = 0; k < spectrum.Length; k++)
        {
            Assert.Equal(spectrum[k].Real, interleaved[2 * k], 1e-4);
            Assert.Equal(spectrum[k].Imaginary, interleaved[2 * k + 1], 1e-4);
        }
        var back = new float[n];
        single.Inverse(interleaved, back);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] * n, back[i], 1e-3);
    }

    [Fact]
    public void ComplexMatchesManagedReferenceBothWays()
    {
        const int n = 300;
        var x = Noise(2 * n, 11);
        var z = Enumerable.Range(0, n).Select(i => new Complex(x[2 * i], x[2 * i + 1])).ToArray();
        using var fft = Provider.CreateComplex(n);
        var reference = ManagedFftProvider.Instance.CreateComplex(n);
        foreach (bool forward in new[] { true, false })
        {
            var expected = new Complex[n];
            var actual = new Complex[n];
            if (forward) { reference.Forward(z, expected); fft.Forward(z, actual); }
            else { reference.Inverse(z, expected); fft.Inverse(z, actual); }
            for (int k = 0; k < n; k++) Assert.True((expected[k] - actual[k]).Magnitude < 1e-10, $"bin {k}");
        }
    }

    [Fact]
    public void TransformsOnManyThreadsGiveIdenticalBits()
    {
        const int n = 2000;
        var x = Noise(n, 5);
        var reference = new Complex[n / 2 + 1];
        Provider.CreateReal(n).Forward(x, reference);
        Parallel.For(0, 8, _ =>
        {
            using var fft = Provider.CreateReal(n);
            var spectrum = new Complex[n / 2 + 1];
            for (int rep = 0; rep < 20; rep++)
            {
                fft.Forward(x, spectrum);
                Assert.True(spectrum.AsSpan().SequenceEqual(reference));
            }
        });
    }

    [Fact]
    public void WrongBufferSizesAreRejected()
    {
        using var fft = Provider.CreateReal(64);
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[63], new Complex[33]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[64], new Complex[32]));
    }
}
