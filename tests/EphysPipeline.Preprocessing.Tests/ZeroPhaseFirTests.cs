using Xunit.Abstractions;
using EphysPipeline.Native.Fftw;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Preprocessing.Recordings;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Preprocessing.Tests;

public class ZeroPhaseFirTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("theta")]
    [InlineData("low_gamma")]
    public void InteriorEqualsMneFilterData(string band)
    {
        var pair = TestData.Signal("pair");
        var taps = Fixtures.Expect($"fir_hilbert.{band}.taps").Doubles();
        int edge = Fixtures.Expect($"fir_hilbert.{band}.edge_samples").GetInt32();
        var expected = Fixtures.Expect($"fir_hilbert.{band}.filtered_interior").Rows();
        using var filter = new ZeroPhaseFir(taps, TestBackends.Fft);
        for (int c = 0; c < pair.Length; c++)
        {
            var y = new double[pair[c].Length];
            filter.Apply(pair[c], y);
            double error = TestData.RelativeError(y.AsSpan(edge, expected[c].Length), expected[c]);
            output.WriteLine($"{band} channel {c}: interior relative error {error:E2}");
            Assert.True(error < 1e-8, $"{band} channel {c}: relative error {error:E2}");
        }
    }

    [Fact]
    public void EdgesEqualMneReflectLimitedPadding()
    {
        var white = TestData.Signal("white")[0].AsSpan(0, 3000).ToArray();
        var expected = TestData.Preprocessing.GetProperty("filter_full").GetProperty("output").Doubles();
        using var filter = new ZeroPhaseFir(FirDesign.Create(1000, 30, 55), TestBackends.Fft);
        var y = new double[white.Length];
        filter.Apply(white, y);
        double error = TestData.RelativeError(y, expected);
        output.WriteLine($"whole output with edges: relative error {error:E2}");
        Assert.True(error < 1e-8, $"relative error {error:E2}");
    }

    [Fact]
    public void SignalShorterThanFilterUsesMnePadding()
    {
        var taps = FirDesign.Create(1000, 6, 10);
        var x = TestData.Signal("white")[0].AsSpan(0, 700).ToArray();
        var y = new double[x.Length];
        using var filter = new ZeroPhaseFir(taps, TestBackends.Fft);
        filter.Apply(x, y);
        // Direct evaluation of MNE's definition: pad min(L, n) − 1 = n − 1 reflected samples, zeros beyond.
        int n = x.Length, m = (taps.Length - 1) / 2, edge = n - 1;
        double At(int p) => p < 0 ? (-p <= edge ? 2 * x[0] - x[-p] : 0) : p >= n ? (p - (n - 1) <= edge ? 2 * x[n - 1] - x[2 * (n - 1) - p] : 0) : x[p];
        var direct = new double[n];
        for (int t = 0; t < n; t++)
        {
            double s = 0;
            for (int k = 0; k < taps.Length; k++) s += taps[k] * At(t + m - k);
            direct[t] = s;
        }
        Assert.True(TestData.RelativeError(y, direct) < 1e-12);
    }

    [Fact]
    public void ManagedAndFftwBackendsAgree()
    {
        var x = TestData.Signal("white")[0];
        var taps = FirDesign.Create(1000, 30, 55);
        using var fftw = new ZeroPhaseFir(taps, FftwProvider.Shared);
        using var managed = new ZeroPhaseFir(taps, ManagedFftProvider.Instance);
        var a = new double[x.Length];
        var b = new double[x.Length];
        fftw.Apply(x, a);
        managed.Apply(x, b);
        Assert.True(TestData.RelativeError(a, b) < 1e-12);
    }

    [Theory]
    [InlineData(997)]
    [InlineData(5000)]
    [InlineData(20000)]
    public void FilteredRecordingChunkedEqualsWholeBitwise(int block)
    {
        var pair = TestData.Signal("pair");
        var taps = Fixtures.Expect("fir_hilbert.theta.taps").Doubles();
        var expected = FilterWhole(pair, taps, out int fftLength);
        var parent = new ArrayRecording(pair, 1000);
        using var filtered = new FilteredRecording(parent, taps, TestBackends.Fft);
        var actual = TestData.ReadAll(filtered, block);
        for (int c = 0; c < pair.Length; c++) Assert.Equal(expected[c], actual[c]);
        Assert.True(parent.LargestRead <= block + 2 * fftLength, "reads must not grow with the recording");
    }

    [Fact]
    public void SingleSampleReadsEqualWholeBitwise()
    {
        var pair = TestData.Signal("pair");
        var taps = Fixtures.Expect("fir_hilbert.low_gamma.taps").Doubles();
        var expected = FilterWhole(pair, taps, out _);
        using var filtered = new FilteredRecording(new ArrayRecording(pair, 1000), taps, TestBackends.Fft);
        var buffer = new double[2];
        foreach (long t in new long[] { 0, 1, 219, 220, 221, 4095, 10000, 19779, 19780, 19998, 19999 })
        {
            filtered.ReadTraces(t, 1, [1, 0], buffer);
            Assert.Equal(expected[1][t], buffer[0]);
            Assert.Equal(expected[0][t], buffer[1]);
        }
    }

    private static double[][] FilterWhole(double[][] rows, double[] taps, out int fftLength)
    {
        using var whole = new ZeroPhaseFir(taps, TestBackends.Fft);
        fftLength = whole.FftLength;
        return rows.Select(row =>
        {
            var y = new double[row.Length];
            whole.Apply(row, y);
            return y;
        }).ToArray();
    }

    [Fact]
    public void NonFiniteSamplesSpoilOnlyTheOutputsThatUseThem()
    {
        var x = TestData.Signal("white")[0];
        var taps = FirDesign.Create(1000, 30, 55);
        int m = (taps.Length - 1) / 2;
        var clean = (double[])x.Clone();
        var spoiled = (double[])x.Clone();
        spoiled[9000] = double.NaN;
        spoiled[15000] = double.PositiveInfinity;
        clean[9000] = 0;
        clean[15000] = 0;
        using var filter = new ZeroPhaseFir(taps, TestBackends.Fft);
        var expected = new double[x.Length];
        var actual = new double[x.Length];
        filter.Apply(clean, expected);
        filter.Apply(spoiled, actual);
        for (int t = 0; t < x.Length; t++)
        {
            bool near = Math.Abs(t - 9000) <= m || Math.Abs(t - 15000) <= m;
            if (near) Assert.True(double.IsNaN(actual[t]), $"sample {t}");
            else Assert.Equal(expected[t], actual[t]);
        }
    }

    [Fact]
    public void BandPassKeepsInBandSineAndRemovesOutOfBand()
    {
        const double fs = 1000;
        var x = Enumerable.Range(0, 20000).Select(t => Math.Sin(2 * Math.PI * 8 * t / fs) + Math.Sin(2 * Math.PI * 60 * t / fs)).ToArray();
        var y = new double[x.Length];
        using var filter = new ZeroPhaseFir(FirDesign.Create(fs, 6, 10), TestBackends.Fft);
        filter.Apply(x, y);
        for (int t = 5000; t < 15000; t++) Assert.Equal(Math.Sin(2 * Math.PI * 8 * t / fs), y[t], 1e-3);
    }
}
