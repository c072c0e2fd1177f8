using EphysPipeline.Native.Fftw;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Spectral.Tests;

public class WelchTests
{
    private static readonly WelchOptions Mean1000 = new(TestData.Fs, 1000, 500);
    private static readonly WelchOptions Median1000 = new(TestData.Fs, 1000, 500, WelchAverage.Median);

    [Theory]
    [InlineData("pair", 0)]
    [InlineData("pair", 1)]
    [InlineData("white", 0)]
    [InlineData("sines", 0)]
    public void MatchesScipyWelchMeanAndMedian(string name, int channel)
    {
        var x = TestData.Signal(name, channel);
        var mean = Welch.Compute(x, Mean1000, TestBackends.Fft);
        var median = Welch.Compute(x, Median1000, TestBackends.Fft);
        Assert.Equal(Fixtures.Expect($"welch.{name}.freqs").Doubles(), mean.Frequencies);
        Assert.Equal(39, mean.Segments);
        Assert.True(TestData.MaxRelativeError(mean.Power, Fixtures.Expect($"welch.{name}.psd_mean").Rows()[channel]) < 1e-9);
        Assert.True(TestData.MaxRelativeError(median.Power, Fixtures.Expect($"welch.{name}.psd_median").Rows()[channel]) < 1e-9);
    }

    [Fact]
    public void OddSegmentLengthKeepsTheLastBinDoubledLikeScipy()
    {
        var x = TestData.Signal("white").AsSpan(0, 5000);
        var mean = Welch.Compute(x, new WelchOptions(TestData.Fs, 255, 100), TestBackends.Fft);
        var median = Welch.Compute(x, new WelchOptions(TestData.Fs, 255, 100, WelchAverage.Median), TestBackends.Fft);
        Assert.Equal(128, mean.Power.Length);
        Assert.True(TestData.MaxRelativeError(mean.Power, TestData.ExtraExpect("welch_white5000_n255_o100_mean").Doubles()) < 1e-9);
        Assert.True(TestData.MaxRelativeError(median.Power, TestData.ExtraExpect("welch_white5000_n255_o100_median").Doubles()) < 1e-9);
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(257, 128)]
    [InlineData(100, 99)]
    public void MatchesScipyForOtherSegmentings(int segment, int overlap)
    {
        var x = TestData.Signal("sines").AsSpan(0, 6000);
        foreach (var average in new[] { WelchAverage.Mean, WelchAverage.Median })
        {
            var psd = Welch.Compute(x, new WelchOptions(TestData.Fs, segment, overlap, average), TestBackends.Fft);
            var key = $"{segment}_{overlap}_{average.ToString().ToLowerInvariant()}";
            var expected = TestData.ExtraExpect("welch_sines6000_cases").GetProperty(key).Doubles();
            Assert.True(TestData.MaxRelativeError(psd.Power, expected) < 1e-9, key);
        }
    }

    [Theory]
    [InlineData(WelchAverage.Mean)]
    [InlineData(WelchAverage.Median)]
    public void ChunkedInOddBlocksIsBitIdenticalToWhole(WelchAverage average)
    {
        var x = TestData.Signal("pair");
        var options = new WelchOptions(TestData.Fs, 1000, 500, average);
        var whole = Welch.Compute(x, options, TestBackends.Fft);
        using var acc = new WelchAccumulator(options, TestBackends.Fft);
        int[] sizes = [1, 7, 333, 999, 1001, 2, 4567];
        for (int offset = 0, i = 0; offset < x.Length; i++)
        {
            int take = Math.Min(sizes[i % sizes.Length], x.Length - offset);
            acc.Append(x.AsSpan(offset, take));
            offset += take;
        }
        Assert.Equal(whole.Power, acc.Result().Power);
    }

    [Fact]
    public void SegmentsNeverStraddleAGap()
    {
        var x = TestData.Signal("white");
        var a = x.AsSpan(0, 7300);
        var b = x.AsSpan(9000, 6100);
        using var acc = new WelchAccumulator(Mean1000, TestBackends.Fft);
        acc.Append(a);
        acc.StartNewRun();
        acc.Append(b);
        var joined = acc.Result();
        var ra = Welch.Compute(a, Mean1000, TestBackends.Fft);
        var rb = Welch.Compute(b, Mean1000, TestBackends.Fft);
        Assert.Equal(ra.Segments + rb.Segments, joined.Segments);
        for (int k = 0; k < joined.Power.Length; k++)
        {
            double expected = (ra.Power[k] * ra.Segments + rb.Power[k] * rb.Segments) / joined.Segments;
            Assert.Equal(expected, joined.Power[k], expected * 1e-12);
        }
    }

    [Fact]
    public void ParsevalIntegralOfPsdIsTheVariance()
    {
        var x = TestData.Gaussian(200_000, 3e-5, seed: 1);
        var psd = Welch.Compute(x, WelchOptions.Default(TestData.Fs), TestBackends.Fft);
        double integral = 0;
        for (int k = 1; k < psd.Power.Length; k++) integral += 0.5 * (psd.Power[k] + psd.Power[k - 1]) * psd.Frequencies[1];
        double mean = x.Average(), variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        Assert.Equal(1.0, integral / variance, 0.01);
    }

    [Fact]
    public void WhiteNoiseIsFlatAtTwoSigmaSquaredOverFs()
    {
        const double sigma = 2e-4;
        var psd = Welch.Compute(TestData.Gaussian(400_000, sigma, seed: 2), WelchOptions.Default(TestData.Fs), TestBackends.Fft);
        double level = 2 * sigma * sigma / TestData.Fs;
        double inner = psd.Power.AsSpan(1, psd.Power.Length - 2).ToArray().Average();
        Assert.Equal(1.0, inner / level, 0.01);
        // Every bin within ±30% (≈ 400 averaged segments per bin).
        Assert.All(psd.Power[5..^5], p => Assert.InRange(p / level, 0.7, 1.3));
    }

    [Fact]
    public void SinePowerLandsInItsBand()
    {
        const double amplitude = 1e-4;
        var x = new double[60_000];
        for (int i = 0; i < x.Length; i++) x[i] = amplitude * Math.Sin(2 * Math.PI * 8.0 * i / TestData.Fs + 0.3);
        var psd = Welch.Compute(x, WelchOptions.Default(TestData.Fs), TestBackends.Fft);
        var theta = BandPower.Absolute(psd, new Band("theta", 6, 10));
        Assert.Equal(1.0, theta.Value / (amplitude * amplitude / 2), 0.01);
        var beta = BandPower.Absolute(psd, new Band("beta", 15, 30));
        Assert.True(beta.Value < 1e-6 * theta.Value);
    }

    [Fact]
    public void FftwAndManagedProvidersAgree()
    {
        var x = TestData.Signal("sines");
        var native = Welch.Compute(x, Mean1000, FftwProvider.Shared);
        var managed = Welch.Compute(x, Mean1000, ManagedFftProvider.Instance);
        Assert.True(TestData.MaxRelativeError(native.Power, managed.Power) < 1e-10);
    }

    [Fact]
    public void EpochShorterThanOneSegmentGivesNaNWithReason()
    {
        var psd = Welch.Compute(TestData.Signal("white").AsSpan(0, 999), Mean1000, TestBackends.Fft);
        Assert.False(psd.IsValid);
        Assert.Contains("segment", psd.Reason);
        Assert.All(psd.Power, p => Assert.True(double.IsNaN(p)));
        Assert.Equal(501, psd.Frequencies.Length);
    }

    [Fact]
    public void NoSamplesAtAllSaysAllWindowsRejected()
    {
        using var acc = new WelchAccumulator(Mean1000, TestBackends.Fft);
        Assert.Contains("rejected", acc.Result().Reason);
    }

    [Fact]
    public void SegmentsWithNaNAreSkippedAndCounted()
    {
        var x = TestData.Signal("white");
        x[2500] = double.NaN;
        using var acc = new WelchAccumulator(Mean1000, TestBackends.Fft);
        acc.Append(x);
        var psd = acc.Result();
        Assert.True(psd.IsValid);
        Assert.Equal(2, acc.SkippedSegments);
        Assert.Equal(37, psd.Segments);
        Assert.All(psd.Power, p => Assert.True(double.IsFinite(p)));

        Array.Fill(x, double.NaN);
        var bad = Welch.Compute(x, Mean1000, TestBackends.Fft);
        Assert.Contains("NaN", bad.Reason);
    }

    [Fact]
    public void ResetStartsAFreshEstimate()
    {
        var x = TestData.Signal("pair");
        using var acc = new WelchAccumulator(Mean1000, TestBackends.Fft);
        acc.Append(TestData.Signal("white"));
        acc.Reset();
        acc.Append(x);
        Assert.Equal(Welch.Compute(x, Mean1000, TestBackends.Fft).Power, acc.Result().Power);
    }
}

public class WelchBankTests
{
    [Fact]
    public void ChannelMajorBlocksGiveEachChannelsWelch()
    {
        var a = TestData.Signal("pair", 0);
        var b = TestData.Signal("pair", 1);
        var options = new WelchOptions(TestData.Fs, 1000, 500);
        using var bank = new WelchBank(2, options, TestBackends.Fft);
        const int block = 1500;
        var buffer = new double[2 * block];
        for (int offset = 0; offset + block <= a.Length; offset += block)
        {
            a.AsSpan(offset, block).CopyTo(buffer);
            b.AsSpan(offset, block).CopyTo(buffer.AsSpan(block));
            bank.Append(buffer, block);
        }
        var results = bank.Results();
        int used = a.Length / block * block;
        Assert.Equal(Welch.Compute(a.AsSpan(0, used), options, TestBackends.Fft).Power, results[0].Power);
        Assert.Equal(Welch.Compute(b.AsSpan(0, used), options, TestBackends.Fft).Power, results[1].Power);
    }
}
