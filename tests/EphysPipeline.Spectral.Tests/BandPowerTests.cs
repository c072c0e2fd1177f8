using EphysPipeline.TestSupport;

namespace EphysPipeline.Spectral.Tests;

public class BandPowerTests
{
    [Fact]
    public void AbsoluteAndRelativeMatchExpected()
    {
        string[] names = ["delta", "theta", "beta", "low_gamma", "high_gamma"];
        for (int ch = 0; ch < 2; ch++)
        {
            var psd = Welch.Compute(TestData.Signal("pair", ch), new WelchOptions(TestData.Fs, 1000, 500), TestBackends.Fft);
            foreach (var name in names)
            {
                var edges = Fixtures.Expect($"band_power.bands.{name}").Doubles();
                var band = new Band(name, edges[0], edges[1]);
                Assert.Equal(band, Band.RodentDefaults.Single(b => b.Name == name));
                double abs = Fixtures.Expect($"band_power.absolute.{name}").Doubles()[ch];
                double rel = Fixtures.Expect($"band_power.relative_to_1_100Hz.{name}").Doubles()[ch];
                Assert.Equal(1.0, BandPower.Absolute(psd, band).Value / abs, 1e-9);
                Assert.Equal(1.0, BandPower.Relative(psd, band).Value / rel, 1e-9);
                Assert.Equal(10 * Math.Log10(abs), BandPower.Decibels(psd, band).Value, 1e-8);
            }
        }
    }

    [Fact]
    public void BandAboveNyquistIsNaNWithReason()
    {
        var psd = Welch.Compute(TestData.Signal("white"), WelchOptions.Default(250), TestBackends.Fft);
        var hfo = BandPower.Absolute(psd, Band.RodentDefaults.Single(b => b.Name == "hfo"));
        Assert.True(double.IsNaN(hfo.Value));
        Assert.Contains("band above Nyquist", hfo.Reason);
        var rel = BandPower.Relative(psd, new Band("theta", 6, 10), new Band("total", 1, 200));
        Assert.Contains("Nyquist", rel.Reason);
    }

    [Fact]
    public void InvalidSpectrumPropagatesItsReason()
    {
        var psd = Welch.Compute(new double[10], WelchOptions.Default(1000), TestBackends.Fft);
        var theta = BandPower.Absolute(psd, new Band("theta", 6, 10));
        Assert.True(double.IsNaN(theta.Value));
        Assert.Equal(psd.Reason, theta.Reason);
    }

    [Fact]
    public void BandNarrowerThanOneBinIsNaN()
    {
        var psd = Welch.Compute(TestData.Signal("white"), new WelchOptions(TestData.Fs, 100, 50), TestBackends.Fft);
        var v = BandPower.Absolute(psd, new Band("narrow", 11, 14));
        Assert.Contains("resolution", v.Reason);
    }
}
