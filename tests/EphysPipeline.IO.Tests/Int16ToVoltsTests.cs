namespace EphysPipeline.IO.Tests;

public class Int16ToVoltsTests
{
    [Theory]
    [InlineData(32, 0, 32, 0, 1000)]
    [InlineData(384, 0, 384, 16, 101)]
    [InlineData(45, 3, 37, 5, 91)]
    [InlineData(9, 1, 7, 0, 13)]
    [InlineData(16, 8, 8, 3, 4)]
    public unsafe void GivesTheScalarExpressionsBits(int width, int column0, int channels, int from, int to)
    {
        var random = new Random(width * 31 + channels);
        var block = new short[to * width];
        for (int i = 0; i < block.Length; i++) block[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        block[0] = short.MinValue;
        block[^1] = short.MaxValue;
        var gains = Enumerable.Range(0, channels).Select(_ => 1e-7 * (0.5 + random.NextDouble())).ToArray();
        double offset = -3.1e-5;
        long stride = to + 3;
        var actual = new double[channels * stride];
        Array.Fill(actual, double.NaN);
        fixed (short* b = block)
        fixed (double* g = gains)
        fixed (double* d = actual)
            Int16ToVolts.Convert(b, width, column0, channels, from, to, g, offset, d, stride);
        for (int k = 0; k < channels; k++)
            for (int t = 0; t < stride; t++)
            {
                double value = actual[k * stride + t];
                if (t < from || t >= to) Assert.True(double.IsNaN(value), $"channel {k}, sample {t} written outside [{from}, {to})");
                else Assert.Equal(BitConverter.DoubleToInt64Bits((double)block[t * width + column0 + k] * gains[k] + offset), BitConverter.DoubleToInt64Bits(value));
            }
    }
}
