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

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1001)]
    public void WriteFromSplitPartsGivesTheBitsOfTheComplexWrite(int n)
    {
        var random = new Random(n + 5);
        var spectrum = Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble() - 0.5, (random.NextDouble() - 0.5) * 1e-3)).ToArray();
        spectrum[0] = new Complex(double.NaN, 1);
        var fromComplex = new double[n];
        PowerAccumulate.Write(spectrum, fromComplex);
        var fromParts = new double[n];
        PowerAccumulate.Write(spectrum.Select(z => z.Real).ToArray(), spectrum.Select(z => z.Imaginary).ToArray(), fromParts);
        Assert.Equal(fromComplex.Select(BitConverter.DoubleToInt64Bits), fromParts.Select(BitConverter.DoubleToInt64Bits));
        Assert.Throws<ArgumentException>(() => PowerAccumulate.Write(new double[3], new double[2], new double[3]));
    }
}
