using EphysPipeline.TestSupport;
using EphysPipeline.Core;

namespace EphysPipeline.Entropy.Tests;

public class AccumulatorTests
{
    private static readonly EntropyOptions Options = new()
    {
        Metrics = EntropyMetrics.All,
        SpectralWindowSeconds = 4,
        SpectralSegmentSeconds = 1,
        PermutationWindowSeconds = 5,
        LempelZivWindowSeconds = 4,
        SampleEntropyWindowSeconds = 1,
        MultiscaleWindowSeconds = 2,
        MultiscaleMaxScale = 3,
    };

    [Fact]
    public void ChunkedEqualsWholeAndEqualsPerWindowKernels()
    {
        var x = Signals.Channel0("pair");
        using var whole = new ChannelEntropyAccumulator(Options, 1000, TestBackends.Fft);
        whole.Append(x);
        using var chunked = new ChannelEntropyAccumulator(Options, 1000, TestBackends.Fft);
        var rng = new Random(1);
        for (int at = 0; at < x.Length;)
        {
            int n = Math.Min(rng.Next(1, 3000), x.Length - at);
            chunked.Append(x.AsSpan(at, n));
            at += n;
        }
        var a = whole.Summary();
        var b = chunked.Summary();
        Assert.Equal(a.Permutation!.Mean, b.Permutation!.Mean);
        Assert.Equal(a.Sample!.Mean, b.Sample!.Mean);
        Assert.Equal(a.LempelZiv!.Mean, b.LempelZiv!.Mean);
        Assert.Equal(a.MultiscaleArea!.Mean, b.MultiscaleArea!.Mean);
        Assert.Equal(a.Spectral!.Mean, b.Spectral!.Mean);
        Assert.Equal(5, a.Spectral.ValidWindows);

        Assert.Equal(4, a.Permutation.ValidWindows);
        Assert.Equal(20, a.Sample.ValidWindows);
        Assert.Equal(5, a.LempelZiv.ValidWindows);   // 20 s / 4 s
        Assert.Equal(10, a.MultiscaleArea.ValidWindows);
        double expected = Enumerable.Range(0, 4).Sum(w => PermutationEntropy.Compute(x.AsSpan(w * 5000, 5000), 5, 1).Value) / 4;
        Assert.Equal(expected, a.Permutation.Mean, 1e-15);
        double lzRaw = Enumerable.Range(0, 5).Sum(w => LempelZiv.ComputeMedianSplit(x.AsSpan(w * 4000, 4000)).Raw.Value) / 5;
        Assert.Equal(lzRaw, a.LempelZivRaw!.Mean);
        Assert.Equal(3, a.MultiscalePerScale!.Count);
    }

    [Fact]
    public void WindowsNeverStraddleAGap()
    {
        var x = Signals.Channel0("white");
        using var acc = new ChannelEntropyAccumulator(Options with { Metrics = EntropyMetrics.Sample }, 1000, TestBackends.Fft);
        acc.Append(x.AsSpan(0, 1500));   // one window, 500 samples left over
        acc.StartNewRun();
        acc.Append(x.AsSpan(5000, 2000)); // two windows
        var s = acc.Summary().Sample!;
        Assert.Equal(3, s.ValidWindows);
        double expected = (SampleEntropy.Compute(x.AsSpan(0, 1000)).Value + SampleEntropy.Compute(x.AsSpan(5000, 1000)).Value
            + SampleEntropy.Compute(x.AsSpan(6000, 1000)).Value) / 3;
        Assert.Equal(expected, s.Mean, 1e-15);
    }

    [Fact]
    public void BadWindowsAreCountedWithReasonsAndExcluded()
    {
        var x = Signals.Channel0("sines").AsSpan(0, 4000).ToArray();
        x[1500] = double.NaN;                        // second 1 s window
        Array.Fill(x, 0.25, 2000, 1000);             // third window constant
        using var acc = new ChannelEntropyAccumulator(Options with { Metrics = EntropyMetrics.Sample | EntropyMetrics.LempelZiv }, 1000, TestBackends.Fft);
        acc.Append(x);
        var s = acc.Summary();
        Assert.Equal(2, s.Sample!.ValidWindows);
        Assert.Equal(1, s.Sample.InvalidWindows[EntropyIssue.NonFinite]);
        Assert.Equal(1, s.Sample.InvalidWindows[EntropyIssue.ConstantWindow]);
        Assert.Null(s.Sample.Reason);
        Assert.Equal(1, s.LempelZiv!.InvalidWindows[EntropyIssue.NonFinite]);
        Assert.Equal(0, s.LempelZiv.ValidWindows);
        Assert.NotNull(s.LempelZiv.Reason);
        Assert.True(double.IsNaN(s.LempelZiv.Mean));
    }

    [Fact]
    public void ShortEpochGivesNaNWithReasonAndResetClears()
    {
        using var acc = new ChannelEntropyAccumulator(Options, 1000, TestBackends.Fft);
        acc.Append(Signals.Channel0("white").AsSpan(0, 900));
        var s = acc.Summary();
        Assert.True(double.IsNaN(s.Sample!.Mean));
        Assert.Equal("no complete window in the epoch's clean data", s.Sample.Reason);
        acc.Append(Signals.Channel0("white").AsSpan(0, 200));
        Assert.Equal(1, acc.Summary().Sample!.ValidWindows);
        acc.Reset();
        Assert.Equal(0, acc.Summary().Sample!.ValidWindows);
        Assert.True(double.IsNaN(s.Spectral!.Mean));
    }

    [Fact]
    public void NoMetricsRequestedGivesNullSummaries()
    {
        using var acc = new ChannelEntropyAccumulator(new EntropyOptions { Metrics = EntropyMetrics.None }, 1000, TestBackends.Fft);
        acc.Append(Signals.Channel0("white"));
        Assert.Equal(20_000, acc.Samples);
        Assert.Equal(new EntropyChannelSummary(null, null, null, null, null, null, null), acc.Summary());
    }

    [Fact]
    public void BadSettingsAreInputErrorsNamingTheSetting()
    {
        var e = Assert.Throws<EphysInputException>(() => new ChannelEntropyAccumulator(Options with { PermutationOrder = 9 }, 1000, TestBackends.Fft));
        Assert.Equal("entropy.permutation_order", e.Dataset);
        Assert.Throws<EphysInputException>(() => new ChannelEntropyAccumulator(Options with { SampleEntropyWindowSeconds = 0.002 }, 1000, TestBackends.Fft));
    }

    [Fact]
    public void KernelsReturnReasonsNotExceptionsForBadWindows()
    {
        Assert.Equal(EntropyIssue.TooShort, PermutationEntropy.Compute([1.0, 2.0], 3, 1).Issue);
        Assert.Equal(EntropyIssue.ConstantWindow, PermutationEntropy.Compute(new double[50], 3, 1).Issue);
        Assert.Equal(EntropyIssue.TooShort, SampleEntropy.Compute([1.0, 2.0, 3.0], 2).Issue);
        Assert.Equal(EntropyIssue.NonFinite, SampleEntropy.Compute([1.0, double.PositiveInfinity, 3.0, 4.0, 0.0]).Issue);
        Assert.Equal(EntropyIssue.ConstantWindow, LempelZiv.ComputeMedianSplit(new double[10]).Raw.Issue);
        var noMatch = SampleEntropy.ComputeWithTolerance([0.0, 10.0, 20.0, 30.0, 40.0, 50.0], 2, 1.0);
        Assert.Equal(EntropyIssue.NoTemplateMatches, noMatch.Issue);
        // m-matches but no (m+1)-matches: +∞.
        var inf = SampleEntropy.ComputeWithTolerance([0.0, 0.0, 5.0, 0.0, 0.0, 9.0], 2, 1.0);
        Assert.Equal(EntropyIssue.NoMatches, inf.Issue);
        Assert.Equal(double.PositiveInfinity, inf.Value);
    }
}

public class EpochAccumulatorTests
{
    [Fact]
    public void ParallelChannelMajorEqualsSerialPerChannel()
    {
        var a = Signals.Channel0("pair");
        var b = Signals.Channel0("sines");
        var options = new EntropyOptions { SpectralSegmentSeconds = 1, PermutationWindowSeconds = 4, LempelZivWindowSeconds = 4, SpectralWindowSeconds = 4 };
        using var serial = new EntropyEpochAccumulator(2, options, 1000, TestBackends.Fft);
        using var parallel = new EntropyEpochAccumulator(2, options, 1000, TestBackends.Fft, maxDegreeOfParallelism: 2);
        for (int at = 0; at < a.Length; at += 3000)
        {
            int n = Math.Min(3000, a.Length - at);
            var block = a.AsSpan(at, n).ToArray().Concat(b.AsSpan(at, n).ToArray()).ToArray();
            serial.Append(block, n);
            parallel.Append(block, n);
            if (at == 9000)
            {
                serial.StartNewRun();
                parallel.StartNewRun();
            }
        }
        var s = serial.Summaries();
        var p = parallel.Summaries();
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(s[c].Permutation!.Mean, p[c].Permutation!.Mean);
            Assert.Equal(s[c].Sample!.Mean, p[c].Sample!.Mean);
            Assert.Equal(s[c].LempelZiv!.Mean, p[c].LempelZiv!.Mean);
            Assert.Equal(s[c].Spectral!.Mean, p[c].Spectral!.Mean);
            Assert.Equal(6 + 4, s[c].Sample!.ValidWindows); // 2 s windows: 12 s run, then 8 s run
        }
        Assert.NotEqual(s[0].Permutation!.Mean, s[1].Permutation!.Mean);
    }
}
