using EphysPipeline.Spectral.Aperiodic;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Spectral.Tests;

public class AperiodicTests
{
    [Fact]
    public void MatchesSpecparamFixedFitOfPairWelch()
    {
        var psd = Welch.Compute(TestData.Signal("pair"), new WelchOptions(TestData.Fs, 1000, 500), TestBackends.Fft);
        var fit = SpecParam.Fit(psd, AperiodicOptions.Pipeline);
        var expected = Fixtures.Expect("aperiodic.offset_exponent").Doubles();
        var peaks = Fixtures.Expect("aperiodic.peaks_cf_pw_bw").Rows();
        Assert.True(fit.IsValid, fit.Reason);
        // specparam stops its peak fit at tol 1e-5; we converge fully, which moves the theta peak and the final
        // aperiodic fit by ~5e-4 (scipy itself lands on our values with tol 1e-10). The brief asks for 0.05 / 0.02.
        Assert.Equal(expected[0], fit.Offset, 1e-3);
        Assert.Equal(expected[1], fit.Exponent, 1e-3);
        Assert.Equal(peaks.Length, fit.Peaks.Length);
        for (int p = 0; p < peaks.Length; p++)
        {
            Assert.Equal(peaks[p][0], fit.Peaks[p].CenterFrequency, 1e-3);
            Assert.Equal(peaks[p][1], fit.Peaks[p].Power, 3e-3);
            Assert.Equal(peaks[p][2], fit.Peaks[p].Bandwidth, 3e-3);
        }
        Assert.InRange(fit.RSquared, 0.5, 1.0);
        Assert.InRange(fit.Error, 0.0, 0.5);
    }

    private static (double[] F, double[] Power) Synthetic(double offset, double knee, double exponent, params (double C, double H, double S)[] peaks)
    {
        var f = Enumerable.Range(0, 400).Select(i => i * 0.25).ToArray();
        var power = f.Select(x =>
        {
            double log = offset - Math.Log10(knee + Math.Pow(x, exponent));
            foreach (var (c, h, s) in peaks) log += h * Math.Exp(-(x - c) * (x - c) / (2 * s * s));
            return Math.Pow(10, log);
        }).ToArray();
        return (f, power);
    }

    [Fact]
    public void RecoversFixedModeParametersAndPeaks()
    {
        var (f, power) = Synthetic(-9, 0, 1.7, (10, 0.8, 1.5), (35, 0.4, 3));
        var fit = SpecParam.Fit(f, power, new AperiodicOptions(2, 80, PeakWidthLow: 1, PeakWidthHigh: 12, MaxPeaks: 6));
        Assert.True(fit.IsValid, fit.Reason);
        Assert.Equal(-9, fit.Offset, 0.02);
        Assert.Equal(1.7, fit.Exponent, 0.01);
        Assert.Equal(2, fit.Peaks.Length);
        Assert.Equal(10, fit.Peaks[0].CenterFrequency, 0.05);
        Assert.Equal(35, fit.Peaks[1].CenterFrequency, 0.1);
        Assert.Equal(3.0, fit.Peaks[0].Bandwidth, 0.1);
        Assert.True(fit.RSquared > 0.99);
    }

    [Fact]
    public void RecoversKneeModeParameters()
    {
        var (f, power) = Synthetic(-8, 40, 2.2, (9, 0.5, 1.2));
        var fit = SpecParam.Fit(f, power, new AperiodicOptions(1, 90, AperiodicMode.Knee, PeakWidthLow: 1, PeakWidthHigh: 12, MaxPeaks: 4));
        Assert.True(fit.IsValid, fit.Reason);
        Assert.Equal(2.2, fit.Exponent, 0.02);
        Assert.Equal(-8, fit.Offset, 0.05);
        Assert.InRange(fit.Knee, 30, 50);
        Assert.Single(fit.Peaks);
        Assert.Equal(9, fit.Peaks[0].CenterFrequency, 0.1);
    }

    [Fact]
    public void BadSpectraGiveNaNWithReason()
    {
        var (f, power) = Synthetic(-9, 0, 1.5);
        power[20] = 0;
        var zero = SpecParam.Fit(f, power, AperiodicOptions.Pipeline);
        Assert.False(zero.IsValid);
        Assert.True(double.IsNaN(zero.Exponent));
        Assert.Contains("zero", zero.Reason);

        var narrow = SpecParam.Fit(f, Synthetic(-9, 0, 1.5).Power, new AperiodicOptions(2, 2.5));
        Assert.Contains("bins", narrow.Reason);

        var invalid = SpecParam.Fit(Welch.Compute(new double[10], WelchOptions.Default(1000), TestBackends.Fft), AperiodicOptions.Pipeline);
        Assert.False(invalid.IsValid);
    }
}
