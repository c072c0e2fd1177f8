using EphysPipeline.Native.OpenBlas;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

/// <summary>The full path the study runs: band design and zero-phase filter from the preprocessing engine, then phase.</summary>
public class PreprocessingEndToEndTests
{
    [Theory]
    [InlineData("theta", 6, 10)]
    [InlineData("low_gamma", 30, 55)]
    public void DesignedBandAndFilterReproduceTheFixture(string name, double low, double high)
    {
        var band = PhaseBand.Design(name, low, high, Fixtures.SignalRate);
        Assert.True(band.IsRealisable, band.Problem);
        var expectedTaps = Fixtures.Expect($"fir_hilbert.{name}.taps").Doubles();
        Assert.Equal(expectedTaps.Length, band.EdgeSamples);
        Assert.True(expectedTaps.Zip(band.Taps!, (e, a) => Math.Abs(e - a)).Max() < 1e-12);

        var rows = Fixtures.Signal("pair");
        using var filter = new ZeroPhaseFir(band.Taps, TestBackends.Fft);
        var filtered = rows.Select(r => { var y = new double[r.Length]; filter.Apply(r, y); return y; }).ToArray();
        var accumulator = new PairwisePhaseAccumulator(2, OpenBlasProvider.Shared);
        using var stream = new AnalyticSignalStream(2, band.EdgeSamples, TestBackends.Fft, accumulator.OnAnalyticBlock);
        stream.Append(PhaseTestData.ChannelMajor(filtered), rows[0].Length);
        stream.CompleteRun();
        var result = accumulator.Result();
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{name}.plv").GetDouble(), result.PlvAt(0, 1), 1e-4);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{name}.wpli").GetDouble(), result.WpliAt(0, 1), 1e-4);
    }

    [Fact]
    public void UnrealisableBandAndTooShortRunGiveAReason()
    {
        var aboveNyquist = PhaseBand.Design("high_gamma", 300, 600, 1000);
        Assert.False(aboveNyquist.IsRealisable);
        Assert.Contains("Nyquist", aboveNyquist.Problem);
        Assert.NotNull(PhaseBand.Design("inverted", 10, 6, 1000).Problem);
        var theta = PhaseBand.Design("theta", 6, 10, 1000);
        Assert.Null(theta.RunProblem(20000));
        Assert.Contains("filter length", theta.RunProblem(3000));
    }
}
