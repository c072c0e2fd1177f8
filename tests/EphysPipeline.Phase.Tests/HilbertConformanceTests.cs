using System.Numerics;
using EphysPipeline.Native.OpenBlas;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

/// <summary>PLV, wPLI and mean phase difference of the fixture pair against scipy.signal.hilbert + MNE filter (fir_hilbert).</summary>
public class HilbertConformanceTests
{
    /// <summary>The rows appended as channel-major copies of <paramref name="block"/> samples.</summary>
    private static void AppendInBlocks(AnalyticSignalStream stream, double[][] rows, int block)
    {
        int n = rows[0].Length;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            var buffer = new double[rows.Length * count];
            for (int c = 0; c < rows.Length; c++) rows[c].AsSpan(start, count).CopyTo(buffer.AsSpan(c * count));
            stream.Append(buffer, count);
        }
    }

    private static PairwisePhaseResult Measure(string band, int block, int windowLength, int margin)
    {
        int edge = Fixtures.Expect($"fir_hilbert.{band}.edge_samples").GetInt32();
        var rows = PhaseTestData.Filtered(band);
        var accumulator = new PairwisePhaseAccumulator(2, OpenBlasProvider.Shared);
        using var stream = new AnalyticSignalStream(2, edge, TestBackends.Fft, accumulator.OnAnalyticBlock, windowLength, margin);
        AppendInBlocks(stream, rows, block);
        stream.CompleteRun();
        Assert.Equal(rows[0].Length - 2 * edge, accumulator.Samples);
        return accumulator.Result();
    }

    [Theory]
    [InlineData("theta")]
    [InlineData("low_gamma")]
    public void WholeRunInOneWindowEqualsScipy(string band)
    {
        var result = Measure(band, 3000, 32768, 2048);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.plv").GetDouble(), result.PlvAt(0, 1), 1e-9);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.wpli").GetDouble(), result.WpliAt(0, 1), 1e-9);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.phase_diff_mean").GetDouble(), result.PhaseDifferenceAt(0, 1), 1e-9);
        Assert.Equal(result.PlvAt(0, 1), result.PlvAt(1, 0));
        Assert.Equal(-result.PhaseDifferenceAt(0, 1), result.PhaseDifferenceAt(1, 0));
    }

    [Theory]
    [InlineData("theta", 1000)]
    [InlineData("low_gamma", 777)]
    public void StreamedWithMarginsAgreesWithScipyWithin1em4(string band, int block)
    {
        var result = Measure(band, block, 4096, 1024);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.plv").GetDouble(), result.PlvAt(0, 1), 1e-4);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.wpli").GetDouble(), result.WpliAt(0, 1), 1e-4);
        Assert.Equal(Fixtures.Expect($"fir_hilbert.{band}.phase_diff_mean").GetDouble(), result.PhaseDifferenceAt(0, 1), 1e-4);
    }

    [Fact]
    public void AppendingWindowsOfLongerRowsInPlaceGivesTheSameBitsAsChannelMajorCopies()
    {
        var rows = PhaseTestData.Filtered("theta");
        int n = rows[0].Length, block = 1500, pad = 37;
        var copied = new List<Complex>();
        var inPlace = new List<Complex>();
        using (var stream = new AnalyticSignalStream(2, 300, TestBackends.Fft, (z, _, _) => copied.AddRange(z.ToComplex()), 4096, 512))
        {
            AppendInBlocks(stream, rows, block);
            stream.CompleteRun();
        }
        using (var stream = new AnalyticSignalStream(2, 300, TestBackends.Fft, (z, _, _) => inPlace.AddRange(z.ToComplex()), 4096, 512))
        {
            for (int start = 0; start < n; start += block)
            {
                int count = Math.Min(block, n - start), stride = count + 2 * pad;
                var padded = new double[2 * stride];
                Array.Fill(padded, double.NaN);
                for (int c = 0; c < 2; c++) rows[c].AsSpan(start, count).CopyTo(padded.AsSpan(c * stride + pad));
                stream.Append(padded, stride, pad, count);
            }
            stream.CompleteRun();
        }
        Assert.NotEmpty(copied);
        Assert.Equal(copied, inPlace);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            using var stream = new AnalyticSignalStream(2, 300, TestBackends.Fft, (_, _, _) => { }, 4096, 512);
            stream.Append(new double[20], 10, 5, 6);
        });
    }

    [Fact]
    public void DefaultStreamSettingsAgreeWithScipy()
    {
        var result = Measure("theta", 4000, 16384, 2048);
        Assert.Equal(Fixtures.Expect("fir_hilbert.theta.plv").GetDouble(), result.PlvAt(0, 1), 1e-4);
    }

    [Fact]
    public void StreamOutputDoesNotDependOnTheInputBlockSize()
    {
        var rows = PhaseTestData.Filtered("theta");
        var a = PhaseTestData.Stream(rows, 100, 1000, 4096, 1024);
        var b = PhaseTestData.Stream(rows, 100, 333, 4096, 1024);
        Assert.Equal(rows[0].Length - 200, a.Count);
        Assert.Equal(100, a.First);
        Assert.Equal(a.Values, b.Values);
    }

    [Fact]
    public void RunsRestartAtTrimAndShortRunsEmitNothing()
    {
        var rows = PhaseTestData.Filtered("theta");
        var firsts = new List<(long First, int Count)>();
        using var stream = new AnalyticSignalStream(1, 700, TestBackends.Fft, (block, first, _) => firsts.Add((first, block.Count)), 2048, 256);
        foreach (int length in new[] { 5000, 1400, 1401 })
        {
            stream.Append(rows[0].AsSpan(0, length), length);
            stream.CompleteRun();
        }
        // Run 1 emits [700, 4300); run 2 (1400 samples) nothing; run 3 exactly sample 700.
        Assert.Equal(700, firsts[0].First);
        Assert.Equal(3600, firsts.Take(firsts.Count - 1).Sum(f => f.Count));
        Assert.Equal((700L, 1), firsts[^1]);
    }

    [Fact]
    public void TrimLongerThanAWindowStillEmitsTheInterior()
    {
        var rows = PhaseTestData.Filtered("theta");
        var whole = PhaseTestData.Stream([rows[0]], 3000, 20000, 32768, 2048);
        var windowed = PhaseTestData.Stream([rows[0]], 3000, 1000, 4096, 256);
        Assert.Equal(whole.Count, windowed.Count);
        Assert.Equal(3000, windowed.First);
        Assert.Throws<ArgumentOutOfRangeException>(() => PhaseTestData.Stream([rows[0]], 3000, 1000, 2048, 256));
        using var automatic = new AnalyticSignalStream(1, 15000, TestBackends.Fft, (_, _, _) => { }, memoryBytes: 1 << 18);
        Assert.Equal(32768, automatic.WindowLength);
    }

    [Fact]
    public void LongerTrimsOfConsumersAreHeldBackUntilTheRunEnds()
    {
        var rows = PhaseTestData.Filtered("theta");
        var blocks = new List<(long First, int Count, long RunEnd)>();
        using var stream = new AnalyticSignalStream(1, 100, TestBackends.Fft, (block, first, runEnd) => blocks.Add((first, block.Count, runEnd)),
            4096, 1024, longestTrim: 1500);
        Assert.Equal(1500, stream.LookAhead);
        for (int start = 0; start < 10000; start += 700) stream.Append(rows[0].AsSpan(start, Math.Min(700, 10000 - start)), Math.Min(700, 10000 - start));
        stream.CompleteRun();
        Assert.Equal(100, blocks[0].First);
        Assert.Equal(10000 - 200, blocks.Sum(b => b.Count));
        Assert.All(blocks.SkipLast(1), b => Assert.Equal(AnalyticSignalStream.RunEndUnknown, b.RunEnd));
        Assert.All(blocks.SkipLast(1), b => Assert.True(b.First + b.Count <= 10000 - 1500));
        Assert.Equal((10000L - 100, 10000L), (blocks[^1].First + blocks[^1].Count, blocks[^1].RunEnd));
    }

    [Fact]
    public void HilbertTransformOfWholeCyclesCosineIsTheSine()
    {
        foreach (int n in new[] { 64, 63 })
        {
            var x = Enumerable.Range(0, n).Select(t => Math.Cos(2 * Math.PI * 5 * t / n + 0.3)).ToArray();
            var y = new double[n];
            using var fft = TestBackends.Fft.CreateReal(n);
            AnalyticSignal.Hilbert(x, y, fft);
            for (int t = 0; t < n; t++)
                Assert.True(Math.Abs(y[t] - Math.Sin(2 * Math.PI * 5 * t / n + 0.3)) < 1e-12, $"n={n} t={t}: {y[t]}");
        }
    }
}
