namespace EphysPipeline.Entropy.Tests;

public class KernelTests
{
    private static double[] Ints(int n, int levels, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)rng.Next(levels)).ToArray();
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 1)]
    [InlineData(6, 3)]
    [InlineData(7, 1)]
    public void PermutationEntropyEqualsStableArgsortDefinitionWithTies(int order, int delay)
    {
        foreach (int n in new[] { 16, 37, 1001 })
        {
            var x = Ints(n, 4, n + order);
            Assert.Equal(Oracles.PermutationEntropy(x, order, delay), PermutationEntropy.Compute(x, order, delay).Value, 1e-12);
        }
    }

    [Fact]
    public void PermutationEntropyOfRampIsZeroAndOfWhiteNoiseNearOne()
    {
        var ramp = Enumerable.Range(0, 5000).Select(i => 0.5 * i).ToArray();
        Assert.Equal(0.0, PermutationEntropy.Compute(ramp, 5, 1).Value, 1e-15);
        Assert.InRange(PermutationEntropy.Compute(Signals.Gaussian(100_000, 3), 4, 1).Value, 0.999, 1.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SampleEntropyCountsEqualBruteForce(int m)
    {
        foreach (int n in new[] { m + 2, 63, 64, 65, 130, 500 })
        {
            var x = Ints(n, 6, n * m);
            Assert.Equal(Oracles.SampleEntropyCounts(x, m, 1.5), SampleEntropy.CountMatches(x, m, 1.5));
            var g = Signals.Gaussian(n, n + m);
            Assert.Equal(Oracles.SampleEntropyCounts(g, m, 0.3), SampleEntropy.CountMatches(g, m, 0.3));
        }
    }

    [Fact]
    public void SampleEntropyOfSineIsFarBelowWhiteNoise()
    {
        var sine = Enumerable.Range(0, 2000).Select(i => Math.Sin(2 * Math.PI * 10 * i / 1000.0)).ToArray();
        double regular = SampleEntropy.Compute(sine).Value;
        double noise = SampleEntropy.Compute(Signals.Gaussian(2000, 5)).Value;
        Assert.True(regular < 0.3 * noise, $"sine {regular}, noise {noise}");
    }

    [Fact]
    public void LempelZivEqualsDefinitionOnManySequences()
    {
        var rng = new Random(11);
        foreach (int n in new[] { 1, 2, 3, 17, 64, 65, 129, 700, 3000 })
            foreach (double pOne in new[] { 0.5, 0.1, 0.0 })
            {
                var bits = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < pOne).ToArray();
                var periodic = Enumerable.Range(0, n).Select(i => i % 7 < 3).ToArray();
                foreach (var s in new[] { bits, periodic })
                {
                    var packed = new ulong[MedianSplit.WordCount(n)];
                    for (int i = 0; i < n; i++) if (s[i]) packed[i >> 6] |= 1UL << (i & 63);
                    Assert.Equal(Oracles.LempelZiv(s), LempelZiv.Complexity(packed, n, new int[LempelZiv.AutomatonSize(n)]));
                }
            }
    }

    [Fact]
    public void LempelZivDocumentedExamples()
    {
        // antropy's docstring: "1001111011000010" → 6, and 1010101010 → 3.
        static int Of(string s)
        {
            var packed = new ulong[MedianSplit.WordCount(s.Length)];
            for (int i = 0; i < s.Length; i++) if (s[i] == '1') packed[i >> 6] |= 1UL << (i & 63);
            return LempelZiv.Complexity(packed, s.Length, new int[LempelZiv.AutomatonSize(s.Length)]);
        }
        Assert.Equal(6, Of("1001111011000010"));
        Assert.Equal(3, Of("1010101010"));
    }

    [Fact]
    public void LempelZivOfSquareWaveIsMinimalAndOfNoiseNearOne()
    {
        var square = Enumerable.Range(0, 10_000).Select(i => i % 100 < 50 ? 1.0 : -1.0).ToArray();
        var (raw, _) = LempelZiv.ComputeMedianSplit(square);
        Assert.True(raw.Value <= 4, $"square wave LZ {raw.Value}");
        var (_, normalized) = LempelZiv.ComputeMedianSplit(Signals.Gaussian(10_000, 9));
        Assert.InRange(normalized.Value, 0.9, 1.1);
    }

    [Fact]
    public void MedianEqualsSortedMiddle()
    {
        foreach (int n in new[] { 1, 2, 5, 6, 101, 1000 })
        {
            var x = Ints(n, 7, n);
            var sorted = x.OrderBy(v => v).ToArray();
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            Assert.Equal(expected, MedianSplit.Median(x, new double[n]));
        }
    }

    [Fact]
    public void StandardDeviationFollowsNumpySummationOrder()
    {
        // numpy 1.24: np.std(white0) and np.sum(white0), printed with repr (round-trip exact).
        var x = Signals.Channel0("white");
        Assert.Equal(NumpyWhiteSum, NumpyReduction.Sum(x));
        Assert.Equal(NumpyWhiteStd, NumpyReduction.StandardDeviation(x, new double[x.Length]));
    }

    [Fact]
    public void SpectralEntropyOfFlatPsdIsOneAndOfSingleBinIsZero()
    {
        Assert.Equal(1.0, SpectralEntropy.FromPsd(Enumerable.Repeat(2.5, 501).ToArray()).Value, 1e-15);
        var peak = new double[501];
        peak[40] = 1e-9;
        Assert.Equal(0.0, SpectralEntropy.FromPsd(peak).Value);
        Assert.Equal(EntropyIssue.ConstantWindow, SpectralEntropy.FromPsd(new double[501]).Issue);
    }

    [Fact]
    public void MultiscaleScaleOneIsSampleEntropyAndAreaIsTrapezoid()
    {
        var x = Signals.Channel0("pair").AsSpan(0, 4000).ToArray();
        var scales = new EntropyValue[4];
        var area = MultiscaleEntropy.Compute(x, 2, 0.2, scales, new double[MultiscaleEntropy.ScratchLength(x.Length, 2)]);
        Assert.Equal(SampleEntropy.Compute(x, 2).Value, scales[0].Value);
        double r = 0.2 * NumpyReduction.StandardDeviation(x, new double[x.Length]);
        var coarse = Enumerable.Range(0, x.Length / 3).Select(j => (x[3 * j] + x[3 * j + 1] + x[3 * j + 2]) / 3).ToArray();
        Assert.Equal(SampleEntropy.ComputeWithTolerance(coarse, 2, r).Value, scales[2].Value);
        double trapezoid = (scales[0].Value + scales[1].Value) / 2 + (scales[1].Value + scales[2].Value) / 2 + (scales[2].Value + scales[3].Value) / 2;
        Assert.Equal(trapezoid, area.Value, 1e-14);
    }

    private const double NumpyWhiteSum = -259.4511687804039;
    private const double NumpyWhiteStd = 1.007132037077245;
}
