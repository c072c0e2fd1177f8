using System.Numerics;
using EphysPipeline.Core.Blas;
using EphysPipeline.Native.OpenBlas;

namespace EphysPipeline.Phase.Tests;

public class PairwisePhaseTests
{
    private static Complex[] RandomAnalytic(int channels, int n, int seed)
    {
        var rng = new Random(seed);
        var z = new Complex[channels * n];
        for (int i = 0; i < z.Length; i++) z[i] = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        return z;
    }

    private static PairwisePhaseResult Run(Complex[] z, int channels, int n, IBlasProvider blas, int capacity = 4096, bool[]? bad = null)
    {
        var accumulator = new PairwisePhaseAccumulator(channels, blas, bad, capacity);
        accumulator.Append(z, n);
        return accumulator.Result();
    }

    [Fact]
    public void MatchesNaivePerPairLoopsForOddChannelCounts()
    {
        int channels = 7, n = 1003;
        var z = RandomAnalytic(channels, n, 1);
        var result = Run(z, channels, n, OpenBlasProvider.Shared, capacity: 256);
        for (int a = 0; a < channels; a++)
        {
            for (int b = 0; b < channels; b++)
            {
                Complex unit = 0;
                double sumIm = 0, sumAbsIm = 0;
                for (int t = 0; t < n; t++)
                {
                    var za = z[a * n + t];
                    var zb = z[b * n + t];
                    unit += za / Complex.Abs(za) * Complex.Conjugate(zb / Complex.Abs(zb));
                    var s = za * Complex.Conjugate(zb);
                    sumIm += s.Imaginary;
                    sumAbsIm += Math.Abs(s.Imaginary);
                }
                Assert.Equal(Complex.Abs(unit) / n, result.PlvAt(a, b), 1e-12);
                if (a != b)
                {
                    Assert.Equal(Math.Abs(sumIm) / sumAbsIm, result.WpliAt(a, b), 1e-12);
                    Assert.Equal(unit.Phase, result.PhaseDifferenceAt(a, b), 1e-12);
                }
            }
        }
    }

    [Fact]
    public void ImaginaryCrossSumsMatchScalarLoopWhateverTheRowSplit()
    {
        int channels = 12, n = 531, stride = 600;
        var rng = new Random(3);
        var re = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var imag = new double[channels * channels];
        var abs = new double[channels * channels];
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imag, abs, 0, 3);
        var imagSplit = new double[channels * channels];
        var absSplit = new double[channels * channels];
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imagSplit, absSplit, 2, 3);
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imagSplit, absSplit, 0, 2);
        Assert.Equal(imag, imagSplit);
        Assert.Equal(abs, absSplit);
        for (int a = 0; a < channels; a++)
        {
            for (int b = a; b < channels; b++)
            {
                double expectedImag = 0, expectedAbs = 0;
                for (int t = 0; t < n; t++)
                {
                    double v = im[a * stride + t] * re[b * stride + t] - re[a * stride + t] * im[b * stride + t];
                    expectedImag += v;
                    expectedAbs += Math.Abs(v);
                }
                Assert.Equal(expectedImag, imag[a * channels + b], 1e-10);
                Assert.Equal(expectedAbs, abs[a * channels + b], 1e-10);
            }
        }
    }

    [Fact]
    public void ImaginaryCrossSumsInVector256HalvesAreTheVector512Bits()
    {
        int channels = 16, n = 1003, stride = 1010;
        var rng = new Random(8);
        var re = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (imag, abs) = (new double[channels * channels], new double[channels * channels]);
        var (imagHalves, absHalves) = (new double[channels * channels], new double[channels * channels]);
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imag, abs, 0, channels / ImaginaryCrossSums.Tile, halves: false);
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imagHalves, absHalves, 0, channels / ImaginaryCrossSums.Tile, halves: true);
        Assert.Equal(imag, imagHalves);
        Assert.Equal(abs, absHalves);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImaginaryCrossSumsAreExactlyTheEightLaneSumsInTimeChunks(bool halves)
    {
        // The kernels' order, written out: per time chunk, lane k sums the samples t ≡ k (mod 8) of the chunk's whole
        // groups of 8; the lanes reduce pairwise ((0+1)+(2+3)) + ((4+5)+(6+7)); the chunk's leftover samples follow one
        // by one; each chunk's total is added to the pair's sum.
        int channels = 8, n = 2 * ImaginaryCrossSums.TimeChunk + 13, stride = n + 5;
        var rng = new Random(11);
        var re = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, channels * stride).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (imag, abs) = (new double[channels * channels], new double[channels * channels]);
        ImaginaryCrossSums.Accumulate(re, im, channels, n, stride, imag, abs, 0, channels / ImaginaryCrossSums.Tile, halves);
        for (int a = 0; a < channels; a++)
            for (int b = a; b < channels; b++)
            {
                double expectedImag = 0, expectedAbs = 0;
                for (int t0 = 0; t0 < n; t0 += ImaginaryCrossSums.TimeChunk)
                {
                    int length = Math.Min(ImaginaryCrossSums.TimeChunk, n - t0), full = length - length % 8;
                    var (d, s) = (new double[8], new double[8]);
                    double E(int t) => im[a * stride + t] * re[b * stride + t] - re[a * stride + t] * im[b * stride + t];
                    for (int t = 0; t < full; t++)
                    {
                        d[t % 8] += E(t0 + t);
                        s[t % 8] += Math.Abs(E(t0 + t));
                    }
                    double q = ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7]));
                    double r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
                    for (int t = full; t < length; t++)
                    {
                        q += E(t0 + t);
                        r += Math.Abs(E(t0 + t));
                    }
                    expectedImag += q;
                    expectedAbs += r;
                }
                Assert.Equal(expectedImag, imag[a * channels + b]);
                Assert.Equal(expectedAbs, abs[a * channels + b]);
            }
    }

    [Fact]
    public void ThreadCountDoesNotChangeAnyBitAndTiledProductMatchesManaged()
    {
        int channels = 70, n = 1500;
        var z = RandomAnalytic(channels, n, 9);
        var one = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 512, true, maxDegreeOfParallelism: 1);
        var two = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 512, true, maxDegreeOfParallelism: 2);
        var four = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 512, true, maxDegreeOfParallelism: 4);
        one.Append(z, n);
        two.Append(z, n);
        four.Append(z, n);
        var r1 = one.Result();
        Assert.Equal(r1.Plv, two.Result().Plv);
        Assert.Equal(r1.Wpli, two.Result().Wpli);
        Assert.Equal(r1.MeanPhaseDifference, four.Result().MeanPhaseDifference);
        Assert.Equal(r1.Wpli, four.Result().Wpli);
        var managed = new PairwisePhaseAccumulator(channels, ManagedBlasProvider.Instance, default, 512);
        managed.Append(z, n);
        var m = managed.Result();
        for (int i = 0; i < channels * channels; i++) Assert.Equal(m.Plv[i], r1.Plv[i], 1e-12);
    }

    [Fact]
    public void AStridedViewOfPlanesGivesTheBitsOfAChannelMajorBlock()
    {
        // A view into longer rows (as the analytic stream hands out), with a bad channel, odd lengths and slices
        // shorter than the block: the same bits as the channel-major complex block.
        int channels = 13, n = 1337, stride = 2000, offset = 91;
        var z = RandomAnalytic(channels, n, 17);
        z[3 * n + 5] = Complex.Zero;
        var bad = new bool[channels];
        bad[4] = true;
        var re = Enumerable.Repeat(double.NaN, (channels + 1) * stride).ToArray();
        var im = re.ToArray();
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < n; t++) (re[stride + c * stride + offset + t], im[stride + c * stride + offset + t]) = (z[c * n + t].Real, z[c * n + t].Imaginary);
        // The same two appends (each sliced by the capacity) of channel-major copies.
        var reference = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, bad, 500);
        foreach (var (from, count) in new[] { (0, 700), (700, n - 700) })
            reference.Append(Enumerable.Range(0, channels).SelectMany(c => z.Skip(c * n + from).Take(count)).ToArray(), count);
        var expected = reference.Result();
        var accumulator = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, bad, 500, true, maxDegreeOfParallelism: 2);
        var view = new AnalyticBlock(re, im, channels + 1, n + 100, stride, offset).Rows(1, channels).Samples(0, n);
        accumulator.Append(view.Samples(0, 700));
        accumulator.OnAnalyticBlock(view.Samples(700, n - 700), 700, AnalyticSignalStream.RunEndUnknown);
        var actual = accumulator.Result();
        Assert.Equal(expected.Plv.Select(BitConverter.DoubleToInt64Bits), actual.Plv.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Wpli.Select(BitConverter.DoubleToInt64Bits), actual.Wpli.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.MeanPhaseDifference.Select(BitConverter.DoubleToInt64Bits), actual.MeanPhaseDifference.Select(BitConverter.DoubleToInt64Bits));
        Assert.Throws<ArgumentException>(() => accumulator.Append(view.Rows(0, channels - 1)));
    }

    [Fact]
    public void AccumulatorsSharingScratchGiveTheBitsOfSeparateOnes()
    {
        int channels = 11, n = 900;
        var first = RandomAnalytic(channels, n, 5);
        var second = RandomAnalytic(channels, n, 6);
        var scratch = new PairwisePhaseScratch(channels, 256);
        var a = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 256, scratch: scratch);
        var b = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 256, scratch: scratch);
        for (int at = 0; at < n; at += 300)
        {
            a.Append(AnalyticBlock.FromComplex(first, channels, n).Samples(at, 300));
            b.Append(AnalyticBlock.FromComplex(second, channels, n).Samples(at, 300));
        }
        foreach (var (shared, z) in new[] { (a, first), (b, second) })
        {
            var alone = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 256);
            for (int at = 0; at < n; at += 300) alone.Append(AnalyticBlock.FromComplex(z, channels, n).Samples(at, 300));
            Assert.Equal(alone.Result().Plv.Select(BitConverter.DoubleToInt64Bits), shared.Result().Plv.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(alone.Result().Wpli.Select(BitConverter.DoubleToInt64Bits), shared.Result().Wpli.Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Throws<ArgumentException>(() => new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 512, scratch: scratch));
        Assert.Throws<ArgumentException>(() => new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 256,
            scratch: new PairwisePhaseScratch(channels, 256, includeWpli: false)));
    }

    [Fact]
    public void AResetAccumulatorGivesTheBitsOfANewOne()
    {
        int channels = 21, n = 1300;
        var z = RandomAnalytic(channels, n, 41);
        var bad = new bool[channels];
        bad[6] = true;
        var expected = Run(z, channels, n, OpenBlasProvider.Shared, 512, bad);
        var accumulator = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, bad, 512, true, maxDegreeOfParallelism: 2);
        accumulator.Append(RandomAnalytic(channels, 777, 43), 777);
        accumulator.Reset();
        Assert.Equal(0, accumulator.Samples);
        accumulator.Append(z, n);
        var actual = accumulator.Result();
        Assert.Equal(expected.Plv.Select(BitConverter.DoubleToInt64Bits), actual.Plv.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Wpli.Select(BitConverter.DoubleToInt64Bits), actual.Wpli.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.MeanPhaseDifference.Select(BitConverter.DoubleToInt64Bits), actual.MeanPhaseDifference.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void SelfPlvIsOneAndInvariantToPhaseShiftAndScaling()
    {
        int channels = 3, n = 2000;
        var z = RandomAnalytic(channels, n, 2);
        var baseline = Run(z, channels, n, OpenBlasProvider.Shared);
        for (int c = 0; c < channels; c++) Assert.Equal(1.0, baseline.PlvAt(c, c), 1e-12);
        var shifted = z.ToArray();
        var rotation = Complex.FromPolarCoordinates(1, 0.9);
        for (int t = 0; t < n; t++) shifted[t] *= 37.5 * rotation;   // channel 0: constant phase shift and gain
        var moved = Run(shifted, channels, n, OpenBlasProvider.Shared);
        Assert.Equal(baseline.PlvAt(0, 1), moved.PlvAt(0, 1), 1e-12);
        Assert.Equal(baseline.WpliAt(1, 2), moved.WpliAt(1, 2), 1e-12);
        double expectedShift = Math.IEEERemainder(baseline.PhaseDifferenceAt(0, 1) + 0.9, 2 * Math.PI);
        Assert.Equal(expectedShift, moved.PhaseDifferenceAt(0, 1), 1e-12);
    }

    [Fact]
    public void IndependentNoisePlvShrinksLikeOneOverRootN()
    {
        double Plv(int n) => Run(RandomAnalytic(2, n, 5), 2, n, OpenBlasProvider.Shared).PlvAt(0, 1);
        // E[PLV] ≈ √(π/(4n)) for independent uniform phases.
        Assert.InRange(Plv(400), 0, 0.15);
        Assert.InRange(Plv(40000), 0, 0.015);
    }

    [Fact]
    public void StreamedEqualsWholeAndOpenBlasEqualsManaged()
    {
        int channels = 5, n = 3000;
        var z = RandomAnalytic(channels, n, 6);
        var whole = Run(z, channels, n, OpenBlasProvider.Shared);
        var streamed = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 700);
        foreach (var (start, count) in new[] { (0, 1100), (1100, 1), (1101, 1899) })
        {
            var block = new Complex[channels * count];
            for (int c = 0; c < channels; c++) z.AsSpan(c * n + start, count).CopyTo(block.AsSpan(c * count));
            streamed.Append(block, count);
        }
        var s = streamed.Result();
        var plvOnly = new PairwisePhaseAccumulator(channels, OpenBlasProvider.Shared, default, 4096, includeWpli: false);
        plvOnly.Append(z, n);
        var p = plvOnly.Result();
        Assert.Equal(whole.Plv, p.Plv);
        Assert.All(p.Wpli, v => Assert.True(double.IsNaN(v)));
        var managed = Run(z, channels, n, ManagedBlasProvider.Instance);
        for (int i = 0; i < channels * channels; i++)
        {
            Assert.Equal(whole.Plv[i], s.Plv[i], 1e-12);
            Assert.Equal(whole.Wpli[i], s.Wpli[i], 1e-12);
            Assert.Equal(whole.Plv[i], managed.Plv[i], 1e-12);
            Assert.Equal(whole.MeanPhaseDifference[i], managed.MeanPhaseDifference[i], 1e-12);
        }
    }

    [Fact]
    public void BadChannelsAndTooFewGoodChannelsGiveNaNWithReason()
    {
        int channels = 3, n = 500;
        var z = RandomAnalytic(channels, n, 7);
        for (int t = 0; t < n; t++) z[n + t] = double.NaN;   // channel 1 is broken and marked bad
        var result = Run(z, channels, n, OpenBlasProvider.Shared, bad: [false, true, false]);
        Assert.True(double.IsNaN(result.PlvAt(0, 1)) && double.IsNaN(result.WpliAt(2, 1)));
        Assert.False(double.IsNaN(result.PlvAt(0, 2)));
        Assert.Equal("channel marked bad", result.Reasons[1]);

        var lonely = Run(z, channels, n, OpenBlasProvider.Shared, bad: [false, true, true]);
        Assert.True(double.IsNaN(lonely.PlvAt(0, 0)));
        Assert.Contains("fewer than two good channels", lonely.Reasons[0]);

        var nothing = new PairwisePhaseAccumulator(2, OpenBlasProvider.Shared).Result();
        Assert.True(double.IsNaN(nothing.PlvAt(0, 1)));
        Assert.Equal("no samples accumulated", nothing.Reasons[0]);
    }
}
