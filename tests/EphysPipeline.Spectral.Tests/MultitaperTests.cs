using EphysPipeline.TestSupport;

namespace EphysPipeline.Spectral.Tests;

public class MultitaperTests
{
    private static double[] PairHead(int channel) => TestData.Signal("pair", channel)[..4000];

    [Fact]
    public void DpssMatchesScipyTapersSignsAndRatios()
    {
        var expected = TestData.ExtraExpect("dpss_101_nw3_k6_periodic");
        var tapers = expected.GetProperty("tapers").Rows();
        var ratios = expected.GetProperty("ratios").Doubles();
        var dpss = Dpss.Compute(101, 3.0, 6, periodic: true, TestBackends.Fft);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(101, dpss.Tapers[k].Length);
            for (int i = 0; i < 101; i++) Assert.Equal(tapers[k][i], dpss.Tapers[k][i], 1e-12);
            Assert.Equal(ratios[k], dpss.Ratios[k], 1e-12);
        }
    }

    [Fact]
    public void MatchesMnePsdArrayMultitaper()
    {
        var expected = Fixtures.Expect("multitaper.psd").Rows();
        var freqs = Fixtures.Expect("multitaper.freqs").Doubles();
        using var estimator = new MultitaperEstimator(4000, TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0));
        Assert.Equal(15, estimator.TaperCount);
        for (int ch = 0; ch < 2; ch++)
        {
            var mt = estimator.Compute(PairHead(ch));
            Assert.Equal(freqs, mt.Spectrum.Frequencies);
            Assert.True(TestData.MaxRelativeError(mt.Spectrum.Power, expected[ch]) < 1e-9);
        }
    }

    [Fact]
    public void AnotherThreadsEstimatorSharesTheTapersAndGivesTheSameBits()
    {
        foreach (bool adaptive in new[] { false, true })
        {
            var options = new MultitaperOptions(Bandwidth: 4.0, Adaptive: adaptive);
            using var first = new MultitaperEstimator(4000, TestData.Fs, TestBackends.Fft, options);
            using var other = first.ForAnotherThread(TestBackends.Fft);
            Assert.Equal(first.Eigenvalues, other.Eigenvalues);
            for (int ch = 0; ch < 2; ch++)
                Assert.Equal(first.Compute(PairHead(ch)).Spectrum.Power, other.Compute(PairHead(ch)).Spectrum.Power);
        }
    }

    [Fact]
    public void ComputeIntoAReusedBufferGivesComputesBitsAndAllocatesNothingWithFixedWeights()
    {
        foreach (bool adaptive in new[] { false, true })
        {
            using var estimator = new MultitaperEstimator(4000, TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0, Adaptive: adaptive));
            Assert.Equal(estimator.Compute(PairHead(0)).Spectrum.Frequencies, estimator.Frequencies.ToArray());
            var psd = new double[estimator.Frequencies.Length];
            psd.AsSpan().Fill(double.NaN);
            for (int ch = 0; ch < 2; ch++)
            {
                var signal = PairHead(ch);
                long before = GC.GetAllocatedBytesForCurrentThread();
                Assert.Null(estimator.ComputeInto(signal, psd));
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (!adaptive) Assert.Equal(0, allocated);
                Assert.Equal(estimator.Compute(signal).Spectrum.Power, psd);
            }
            var bad = PairHead(0).ToArray();
            bad[7] = double.NaN;
            Assert.Equal("signal contains NaN or infinite samples", estimator.ComputeInto(bad, psd));
            Assert.Throws<ArgumentException>(() => estimator.ComputeInto(bad, new double[psd.Length - 1]));
        }
    }

    [Fact]
    public void AdaptiveWeightsMatchMne()
    {
        var expected = TestData.ExtraExpect("mt_adaptive_pair4000_bw4").Rows();
        using var estimator = new MultitaperEstimator(4000, TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0, Adaptive: true));
        for (int ch = 0; ch < 2; ch++)
        {
            var mt = estimator.Compute(PairHead(ch));
            Assert.True(mt.Adaptive);
            Assert.True(TestData.MaxRelativeError(mt.Spectrum.Power, expected[ch]) < 1e-9);
        }
    }

    [Fact]
    public void DefaultNwWithoutLowBiasMatchesMneAdaptive()
    {
        var expected = TestData.ExtraExpect("mt_pair1_2500_nw4_adaptive_nolowbias").Doubles();
        var mt = Multitaper.Compute(TestData.Signal("pair", 1)[..2500], TestData.Fs, TestBackends.Fft, new MultitaperOptions(Adaptive: true, LowBias: false));
        Assert.Equal(4.0, mt.HalfBandwidth);
        Assert.Equal(8, mt.Eigenvalues.Length);
        Assert.True(TestData.MaxRelativeError(mt.Spectrum.Power, expected) < 1e-9);
    }

    [Fact]
    public void OddLengthMatchesMne()
    {
        var expected = TestData.ExtraExpect("mt_white3001_bw2").Doubles();
        var mt = Multitaper.Compute(TestData.Signal("white")[..3001], TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 2.0));
        Assert.Equal(1501, mt.Spectrum.Power.Length);
        Assert.True(TestData.MaxRelativeError(mt.Spectrum.Power, expected) < 1e-9);
    }

    [Fact]
    public void WhiteNoiseIntegratesToItsVariance()
    {
        const double sigma = 1e-4;
        var x = TestData.Gaussian(8000, sigma, seed: 5);
        var mt = Multitaper.Compute(x, TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0));
        double integral = 0;
        var p = mt.Spectrum.Power;
        for (int k = 1; k < p.Length; k++) integral += 0.5 * (p[k] + p[k - 1]) * mt.Spectrum.Frequencies[1];
        Assert.Equal(1.0, integral / (sigma * sigma), 0.05);
    }

    [Fact]
    public void BadInputGivesNaNWithReason()
    {
        var tooNarrow = Multitaper.Compute(new double[100], 1000, TestBackends.Fft, new MultitaperOptions(Bandwidth: 1.0));
        Assert.Contains("NW", tooNarrow.Spectrum.Reason);
        var x = TestData.Signal("white")[..2000];
        x[10] = double.NaN;
        var nan = Multitaper.Compute(x, TestData.Fs, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0));
        Assert.Contains("NaN", nan.Spectrum.Reason);
        Assert.All(nan.Spectrum.Power, v => Assert.True(double.IsNaN(v)));
        var huge = Multitaper.Compute(new double[100_000], 1000, TestBackends.Fft, new MultitaperOptions(Bandwidth: 4.0) { MaxTaperSamples = 1_000_000 });
        Assert.Contains("memory", huge.Spectrum.Reason);
    }
}
