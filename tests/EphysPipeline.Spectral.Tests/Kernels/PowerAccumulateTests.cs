using System.Numerics;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral.Tests.Kernels;

public class PowerAccumulateTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1001)]
    public void WriteScaledIsAddScaledOnAZeroAccumulatorBitForBit(int n)
    {
        var random = new Random(n);
        var spectrum = Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble() - 0.5, (random.NextDouble() - 0.5) * 1e-3)).ToArray();
        spectrum[0] = new Complex(double.NaN, 0);
        double weight = 0.937;
        var added = new double[n];
        PowerAccumulate.AddScaled(spectrum, weight, added);
        var written = Enumerable.Repeat(42.0, n).ToArray();
        PowerAccumulate.WriteScaled(spectrum, weight, written);
        Assert.Equal(added.Select(BitConverter.DoubleToInt64Bits), written.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(weight * (spectrum[^1].Real * spectrum[^1].Real + spectrum[^1].Imaginary * spectrum[^1].Imaginary), written[^1]);
    }
}
