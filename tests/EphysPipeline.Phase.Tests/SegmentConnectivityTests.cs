using EphysPipeline.Spectral;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

/// <summary>Welch-segment connectivity against scipy.signal.coherence and mne-connectivity (mode fourier).</summary>
public class SegmentConnectivityTests
{
    private static SegmentConnectivityResult Measure(double lo, double hi, int block, bool[]? bad = null, double[][]? signal = null)
    {
        var rows = signal ?? Fixtures.Signal("pair");
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, lo, hi, TestBackends.Fft, bad);
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
        using var accumulator = new SegmentConnectivityAccumulator(2, 1000, 1000, 500, 1, 100, TestBackends.Fft);
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
    /// <summary>Random channels sharing a 10 Hz rhythm with channel-dependent lags, 1 kHz.</summary>
    private static double[][] RandomChannels(int channels, int samples, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, channels).Select(c =>
            Enumerable.Range(0, samples).Select(t => Math.Sin(2 * Math.PI * 10 * t / 1000.0 + 0.3 * c) + 2 * (rng.NextDouble() - 0.5)).ToArray()).ToArray();
    }

    private static void AssertSameBits(SegmentConnectivityResult expected, SegmentConnectivityResult actual)
    {
        foreach (var (e, a) in Measures(expected).Zip(Measures(actual)))
            Assert.Equal(e.Select(BitConverter.DoubleToInt64Bits), a.Select(BitConverter.DoubleToInt64Bits));
    }

    private static double[][] Measures(SegmentConnectivityResult r) =>
        [r.Msc, r.Coherence, r.ImaginaryCoherence, r.Plv, r.Ciplv, r.Pli, r.Wpli, r.Wpli2Debiased, r.Ppc];

    private static SegmentConnectivityResult Threaded(double[][] rows, bool[] bad, int threads, int block)
    {
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, 1, 100, TestBackends.Fft, bad, threads);
        AppendInBlocks(accumulator, rows, block);
        return accumulator.Result();
    }

    /// <summary>The rows appended as channel-major copies of <paramref name="block"/> samples.</summary>
    private static void AppendInBlocks(SegmentConnectivityAccumulator accumulator, double[][] rows, int block)
    {
        int n = rows[0].Length;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            var buffer = new double[rows.Length * count];
            for (int c = 0; c < rows.Length; c++) rows[c].AsSpan(start, count).CopyTo(buffer.AsSpan(c * count));
            accumulator.Append(buffer, count);
        }
    }

    [Fact]
    public void ThreadCountAndBlockSizeDoNotChangeAnyBit()
    {
        // 37 channels: row lengths leave every remainder modulo the vector width; 79 segments span several batches.
        var rows = RandomChannels(37, 40000, 11);
        var bad = new bool[37];
        bad[3] = bad[30] = true;
        rows[12][10200] = double.NaN;   // skips the segments starting at 9500 and 10000
        var one = Threaded(rows, bad, 1, 7000);
        Assert.Equal(77, one.Segments);
        Assert.Null(one.Reason);
        foreach (var (threads, block) in new[] { (2, 7000), (3, 7000), (2, 333), (1, 40000) })
        {
            var other = Threaded(rows, bad, threads, block);
            Assert.Equal(one.Segments, other.Segments);
            foreach (var (expected, actual) in Measures(one).Zip(Measures(other)))
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.All(Enumerable.Range(0, one.Pairs.Length), p =>
        {
            var (a, b) = one.Pairs[p];
            bool usable = !bad[a] && !bad[b];
            Assert.Equal(usable, double.IsFinite(one.Plv[p * one.Frequencies.Length + 9]));
        });
    }

    [Fact]
    public void OneAccumulatorOfSeveralRangesGivesEachRangesOwnBits()
    {
        var rows = RandomChannels(21, 30000, 13);
        var bad = new bool[21];
        bad[5] = true;
        rows[7][12345] = double.NaN;
        (double, double)[] ranges = [(4, 8), (30, 55), (7.5, 12), (600, 700)];   // overlapping; the last has no bin
        var buffer = new double[rows.Length * rows[0].Length];
        for (int c = 0; c < rows.Length; c++) rows[c].CopyTo(buffer.AsSpan(c * rows[0].Length));
        using var shared = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, ranges, TestBackends.Fft, bad, 2);
        shared.Append(buffer, rows[0].Length);
        foreach (var (lo, hi) in ranges)
        {
            using var alone = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, lo, hi, TestBackends.Fft, bad, 2);
            alone.Append(buffer, rows[0].Length);
            var (expected, actual) = (alone.Result(), shared.Result(lo, hi));
            Assert.Equal(expected.Frequencies, actual.Frequencies);
            Assert.Equal(expected.Reason, actual.Reason);
            Assert.Equal(expected.Segments, actual.Segments);
            Assert.Equal(expected.Pairs, actual.Pairs);
            AssertSameBits(expected, actual);
        }
    }

    [Fact]
    public void BandMeansAreEachPairsBandMeanOfTheResultBitForBit()
    {
        var rows = RandomChannels(19, 24000, 17);
        var bad = new bool[19];
        bad[3] = true;
        rows[11][9000] = double.NaN;
        (double, double)[] ranges = [(4, 8), (30, 55), (7.5, 12), (600, 700)];
        var buffer = new double[rows.Length * rows[0].Length];
        for (int c = 0; c < rows.Length; c++) rows[c].CopyTo(buffer.AsSpan(c * rows[0].Length));
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, ranges, TestBackends.Fft, bad, 2);
        accumulator.Append(buffer, rows[0].Length);
        foreach (var (lo, hi) in ranges)
        {
            var (full, means) = (accumulator.Result(lo, hi), accumulator.BandMeans(lo, hi));
            Assert.Equal(full.Reason, means.Reason);
            Assert.Equal(full.Segments, means.Segments);
            Assert.Equal(full.Pairs, means.Pairs);
            double[][] meanArrays = [means.Msc, means.Coherence, means.ImaginaryCoherence, means.Plv, means.Ciplv, means.Pli, means.Wpli, means.Wpli2Debiased, means.Ppc];
            foreach (var (perBin, mean) in Measures(full).Zip(meanArrays))
            {
                var expected = Enumerable.Range(0, full.Pairs.Length).Select(p => full.Reason is null ? full.BandMean(perBin, p, lo, hi) : double.NaN);
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), mean.Select(BitConverter.DoubleToInt64Bits));
            }
            if (full.Reason is null) Assert.Contains(means.Plv, double.IsFinite);
        }
    }

    [Fact]
    public void AppendingWindowsOfLongerRowsInPlaceGivesTheSameBits()
    {
        var rows = RandomChannels(9, 12000, 23);
        var bad = new bool[9];
        var expected = Threaded(rows, bad, 2, 1700);
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, 1, 100, TestBackends.Fft, bad, 2);
        const int pad = 11;
        for (int start = 0; start < rows[0].Length; start += 1700)
        {
            int count = Math.Min(1700, rows[0].Length - start), stride = count + 2 * pad;
            var padded = new double[rows.Length * stride];
            Array.Fill(padded, double.NaN);
            for (int c = 0; c < rows.Length; c++) rows[c].AsSpan(start, count).CopyTo(padded.AsSpan(c * stride + pad));
            accumulator.Append(padded, stride, pad, count);
        }
        var actual = accumulator.Result();
        Assert.Equal(expected.Segments, actual.Segments);
        Assert.Equal(0, accumulator.SkippedSegments);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void AResetAccumulatorGivesTheBitsOfANewOne()
    {
        var rows = RandomChannels(10, 9000, 29);
        var bad = new bool[10];
        var expected = Threaded(rows, bad, 2, 2500);
        using var accumulator = new SegmentConnectivityAccumulator(rows.Length, 1000, 1000, 500, 1, 100, TestBackends.Fft, bad, 2);
        var other = RandomChannels(10, 4321, 31);
        other[4][100] = double.NaN;
        var buffer = new double[other.Length * other[0].Length];
        for (int c = 0; c < other.Length; c++) other[c].CopyTo(buffer.AsSpan(c * other[0].Length));
        accumulator.Append(buffer, other[0].Length);   // a run left open, a skipped segment, a part-filled batch
        accumulator.Reset();
        Assert.Equal(0, accumulator.Segments);
        Assert.Equal(0, accumulator.SkippedSegments);
        AppendInBlocks(accumulator, rows, 2500);
        var actual = accumulator.Result();
        Assert.Equal(expected.Segments, actual.Segments);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void VectorPassEqualsScalarArithmeticBitForBit()
    {
        // The accumulator runs eight pairs per vector (blocks a row covers in part on a copy); here every cell is
        // computed alone with the same operations in the same order, so any SIMD width must give these bits.
        var rows = RandomChannels(37, 20000, 12);
        var bad = new bool[37];
        bad[17] = true;
        rows[30][7000] = double.PositiveInfinity;   // skips the segments starting at 6500 and 7000
        var vector = Threaded(rows, bad, 2, 20000);
        var scalar = ScalarReference(rows, bad);
        Assert.Equal(37, vector.Segments);
        foreach (var (expected, actual) in scalar.Zip(Measures(vector)))
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>The accumulator's arithmetic one cell at a time (1000-sample segments every 500, 1–100 Hz at 1 kHz).</summary>
    private static double[][] ScalarReference(double[][] rows, bool[] bad)
    {
        int channels = rows.Length, bins = 100, pairs = channels * (channels - 1) / 2;
        using var transform = new WelchSegmenter(1000, 500, TestBackends.Fft);
        var spectrum = new System.Numerics.Complex[501];
        var x = new (double Re, double Im, double UnitRe, double UnitIm)[channels, bins];
        var power = new double[channels, bins];
        var sums = new double[7, pairs, bins];
        int n = 0;
        for (int start = 0; start + 1000 <= rows[0].Length; start += 500)
        {
            bool finite = true;
            for (int c = 0; c < channels && finite; c++)
            {
                if (bad[c]) continue;
                finite = transform.Transform(rows[c].AsSpan(start, 1000), spectrum);
                for (int k = 0; k < bins; k++)
                {
                    double re = spectrum[k + 1].Real, im = spectrum[k + 1].Imaginary, magnitude = Math.Sqrt(re * re + im * im);
                    x[c, k] = (re, im, magnitude > 0 ? re / magnitude : 0, magnitude > 0 ? im / magnitude : 0);
                }
            }
            if (!finite) continue;
            n++;
            for (int c = 0; c < channels; c++)
                for (int k = 0; k < bins; k++)
                    if (!bad[c]) power[c, k] += x[c, k].Re * x[c, k].Re + x[c, k].Im * x[c, k].Im;
            for (int a = 0, p = 0; a < channels; a++)
                for (int b = a + 1; b < channels; b++, p++)
                    for (int k = 0; k < bins; k++)
                    {
                        var (xa, xb) = (x[a, k], x[b, k]);
                        double im = xa.Im * xb.Re - xa.Re * xb.Im;
                        sums[0, p, k] += xa.Re * xb.Re + xa.Im * xb.Im;
                        sums[1, p, k] += im;
                        sums[2, p, k] += xa.UnitRe * xb.UnitRe + xa.UnitIm * xb.UnitIm;
                        sums[3, p, k] += xa.UnitIm * xb.UnitRe - xa.UnitRe * xb.UnitIm;
                        sums[4, p, k] += Math.Sign(im);
                        sums[5, p, k] += Math.Abs(im);
                        sums[6, p, k] += im * im;
                    }
        }
        var m = Enumerable.Range(0, 9).Select(_ => new double[pairs * bins]).ToArray();
        for (int a = 0, p = 0; a < channels; a++)
            for (int b = a + 1; b < channels; b++, p++)
                for (int k = 0; k < bins; k++)
                {
                    int cell = p * bins + k;
                    if (bad[a] || bad[b])
                    {
                        foreach (var metric in m) metric[cell] = double.NaN;
                        continue;
                    }
                    double crossRe = sums[0, p, k], crossIm = sums[1, p, k], unitRe = sums[2, p, k], unitIm = sums[3, p, k];
                    double powerProduct = power[a, k] * power[b, k], squared = crossRe * crossRe + crossIm * crossIm;
                    double meanRe = unitRe / n, meanIm = unitIm / n, sumAbs = sums[5, p, k], sumSq = sums[6, p, k];
                    m[0][cell] = squared / powerProduct;
                    m[1][cell] = Math.Sqrt(squared) / Math.Sqrt(powerProduct);
                    m[2][cell] = crossIm / Math.Sqrt(powerProduct);
                    m[3][cell] = Math.Sqrt(meanRe * meanRe + meanIm * meanIm);
                    m[4][cell] = Math.Abs(meanIm) / Math.Sqrt(1 - meanRe * meanRe);
                    m[5][cell] = Math.Abs(sums[4, p, k] / n);
                    m[6][cell] = Math.Abs(crossIm) / sumAbs;
                    m[7][cell] = (crossIm * crossIm - sumSq) / (sumAbs * sumAbs - sumSq);
                    m[8][cell] = (unitRe * unitRe + unitIm * unitIm - n) / ((double)n * (n - 1));
                }
        return m;
    }
}
