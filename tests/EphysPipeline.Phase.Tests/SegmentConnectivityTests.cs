using EphysPipeline.Native.Fftw;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

/// <summary>Welch-segment connectivity against scipy.signal.coherence and mne-connectivity (mode fourier).</summary>
public class SegmentConnectivityTests
{
    private static SegmentConnectivityResult Measure(double lo, double hi, int block, bool[]? bad = null, double[][]? signal = null)
    {
        var rows = signal ?? Fixtures.Signal("pair");
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, lo, hi, FftwProvider.Shared, bad);
        int n = rows[0].Length;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            var buffer = new double[rows.Length * count];
            for (int c = 0; c < rows.Length; c++) rows[c].AsSpan(start, count).CopyTo(buffer.AsSpan(c * count));
            accumulator.Append(buffer, count);
        }
        return accumulator.Result();
    }

    [Fact]
    public void MatchesMneConnectivityFourierMode()
    {
        var result = Measure(1, 100, 1234);
        Assert.Equal(39, result.Segments);
        Assert.Equal(Fixtures.Expect("spectral_connectivity.freqs").Doubles(), result.Frequencies);
        var metrics = new (string Key, double[] Values)[]
        {
            ("coh", result.Coherence), ("imcoh", result.ImaginaryCoherence), ("plv", result.Plv), ("ciplv", result.Ciplv),
            ("pli", result.Pli), ("wpli", result.Wpli), ("wpli2_debiased", result.Wpli2Debiased), ("ppc", result.Ppc),
        };
        foreach (var (key, values) in metrics)
        {
            var expected = Fixtures.Expect($"spectral_connectivity.{key}").Doubles();
            Assert.Equal(expected.Length, values.Length);
            double worst = expected.Zip(values, (e, v) => Math.Abs(e - v)).Max();
            Assert.True(worst < 1e-9, $"{key}: max abs error {worst:E2}");
        }
    }

    [Fact]
    public void PairIndexFollowsPairOrder()
    {
        var result = Measure(1, 10, 20000, null, [.. Fixtures.Signal("pair"), Fixtures.Signal("white")[0], Fixtures.Signal("pair")[0]]);
        for (int p = 0; p < result.Pairs.Length; p++)
        {
            var (a, b) = result.Pairs[p];
            Assert.Equal(p, result.PairIndex(a, b));
            Assert.Equal(p, result.PairIndex(b, a));
        }
        Assert.Equal(-1, result.PairIndex(1, 1));
        Assert.Equal(-1, result.PairIndex(0, 4));
        var reordered = result with { Pairs = [.. result.Pairs.Reverse()] };
        Assert.Equal(0, reordered.PairIndex(3, 2));
    }

    [Fact]
    public void MagnitudeSquaredCoherenceMatchesScipyAtEveryBinAndBand()
    {
        var result = Measure(0, 500, 20000);
        var expected = Fixtures.Expect("coherence.msc").Doubles();
        Assert.Equal(Fixtures.Expect("coherence.freqs").Doubles(), result.Frequencies);
        double worst = expected.Zip(result.Msc, (e, v) => Math.Abs(e - v)).Max();
        Assert.True(worst < 1e-9, $"msc max abs error {worst:E2}");
        var bands = new Dictionary<string, (double, double)>
        {
            ["delta"] = (1, 4), ["theta"] = (6, 10), ["low_gamma"] = (30, 55), ["high_gamma"] = (65, 100),
        };
        foreach (var (name, (lo, hi)) in bands)
            Assert.Equal(Fixtures.Expect($"coherence.band_mean.{name}").GetDouble(), result.BandMean(result.Msc, 0, lo, hi), 1e-9);
    }

    [Fact]
    public void SegmentsNeverSpanAGap()
    {
        var rows = Fixtures.Signal("pair");
        using var accumulator = new SegmentConnectivityAccumulator(2, 1000, 1000, 500, 1, 100, FftwProvider.Shared);
        // 1700 samples, gap, 1700 samples: two segments (0–1000, 500–1500) per run, none across the gap.
        for (int run = 0; run < 2; run++)
        {
            var buffer = new double[2 * 1700];
            for (int c = 0; c < 2; c++) rows[c].AsSpan(run * 5000, 1700).CopyTo(buffer.AsSpan(c * 1700));
            accumulator.Append(buffer, 1700);
            accumulator.EndRun();
        }
        Assert.Equal(4, accumulator.Segments);
    }

    [Fact]
    public void SegmentWithNaNInAGoodChannelIsSkipped()
    {
        var rows = Fixtures.Signal("pair");
        rows[1][2600] = double.NaN;   // inside the segments starting at 2000 and 2500
        var result = Measure(1, 100, 20000, null, rows);
        Assert.Equal(37, result.Segments);
        Assert.All(result.Plv, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void BadChannelAndTooShortInputGiveNaNWithReason()
    {
        var white = Fixtures.Signal("white")[0];
        var rows = new[] { Fixtures.Signal("pair")[0], Fixtures.Signal("pair")[1], white };
        var result = Measure(1, 100, 5000, [false, true, false], rows);
        Assert.Null(result.Reason);
        Assert.All(Enumerable.Range(0, result.Frequencies.Length), k => Assert.True(double.IsNaN(result.Plv[result.PairIndex(0, 1) * 100 + k])));
        Assert.False(double.IsNaN(result.Plv[result.PairIndex(0, 2) * 100 + 10]));

        var shortSignal = rows.Select(r => r[..900]).ToArray();
        var empty = Measure(1, 100, 900, null, shortSignal);
        Assert.Equal(0, empty.Segments);
        Assert.NotNull(empty.Reason);
        Assert.All(empty.Coherence, v => Assert.True(double.IsNaN(v)));
    }
}
