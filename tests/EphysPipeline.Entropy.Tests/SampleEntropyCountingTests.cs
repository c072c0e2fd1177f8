namespace EphysPipeline.Entropy.Tests;

/// <summary>
/// The sorted-neighbour pair counts against antropy's own loop (<see cref="Oracles.AntropySampenCounts"/>), on
/// signals chosen to stress the sort (ties, constant stretches, ±0, one huge outlier, a large offset) and the
/// strict |d| &lt; r decision (r equal to a difference that occurs, decimal grids where rounding decides).
/// </summary>
public class SampleEntropyCountingTests
{
    private const int Kinds = 11;

    [Fact]
    public void OraclesAgree()
    {
        var rng = new Random(5);
        for (int kind = 0; kind < Kinds; kind++)
            foreach (int m in new[] { 1, 2, 3 })
            {
                var x = Signal(rng, kind, 300);
                double r = Tolerance(rng, x);
                Assert.Equal(Oracles.SampleEntropyCounts(x, m, r), Oracles.AntropySampenCounts(x, m, r));
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CountsEqualAntropyLoop(int m)
    {
        var rng = new Random(100 + m);
        var dirty = new double[SampleEntropy.ScratchLength(3000, m)];   // reused across lengths: stale contents
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(dirty.AsSpan()));
        for (int trial = 0; trial < 120; trial++)
        {
            int n = trial < 10 ? m + 2 + trial : rng.Next(m + 2, 3001);
            int kind = trial % Kinds;
            var x = Signal(rng, kind, n);
            double r = Tolerance(rng, x);
            var expected = Oracles.AntropySampenCounts(x, m, r);
            var actual = trial % 2 == 0 ? SampleEntropy.CountMatches(x, m, r) : SampleEntropy.CountMatches(x, m, r, dirty);
            Assert.True(expected == actual, $"m {m}, trial {trial}, kind {kind}, n {n}, r {r:R}: antropy {expected}, kernel {actual}");
        }
    }

    [Fact]
    public void CountsEqualAntropyLoopOnLongerWindows()
    {
        // n ≥ 4096 switches the radix digits from 8 to 11 bits.
        var rng = new Random(77);
        foreach (int n in new[] { 4095, 4096, 5003 })
            foreach (int kind in new[] { 1, 2, 4, 7 })
            {
                var x = Signal(rng, kind, n);
                double r = Tolerance(rng, x);
                Assert.Equal(Oracles.AntropySampenCounts(x, 2, r), SampleEntropy.CountMatches(x, 2, r));
            }
    }

    [Fact]
    public void CountsEqualBruteForceAbove65535Samples()
    {
        // Positions no longer fit 16 bits: the 32-bit rows. Sparse values keep the brute force to one pass per i.
        var rng = new Random(3);
        var x = Enumerable.Range(0, 66_000).Select(_ => (double)rng.Next(0, 2_000_000)).ToArray();
        Assert.Equal(Oracles.SampleEntropyCounts(x, 2, 40.0), SampleEntropy.CountMatches(x, 2, 40.0));
    }

    [Fact]
    public void EveryPairMatchesInTheLongest16BitWindow()
    {
        // Each vector lane of the m = 2 sweep then counts ≈ 4 096 matches per template: the 16-bit lane limit.
        int n = ushort.MaxValue;
        long pairs = (long)(n - 2) * (n - 3) / 2;
        Assert.Equal((pairs, pairs), SampleEntropy.CountMatches(Enumerable.Repeat(0.5, n).ToArray(), 2, 1.0));
    }

    [Fact]
    public void DegenerateInputsCountNothingOrEverything()
    {
        Assert.Equal((0L, 0L), SampleEntropy.CountMatches([1.0, 2.0, 3.0], 2, 0.5));     // n < m + 2
        Assert.Equal((0L, 0L), SampleEntropy.CountMatches([1.0, 1.0, 1.0, 1.0, 1.0], 2, 0.0));
        Assert.Equal((0L, 0L), SampleEntropy.CountMatches([1.0, 1.0, 1.0, 1.0, 1.0], 2, double.NaN));
        var constant = Enumerable.Repeat(0.25, 50).ToArray();
        Assert.Equal(Oracles.AntropySampenCounts(constant, 2, 1e-300), SampleEntropy.CountMatches(constant, 2, 1e-300));
        var ramp = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        Assert.Equal(Oracles.AntropySampenCounts(ramp, 3, double.PositiveInfinity), SampleEntropy.CountMatches(ramp, 3, double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => SampleEntropy.CountMatches(ramp, 2, 1.0, new double[ramp.Length]));
        // Differences beyond the double range: fl(a − c) = ±∞ is a mismatch for both, and the sort key overflows.
        var rng = new Random(9);
        double[] huge = [-1.7e308, -1e308, 0.0, 1e308, 1.7e308];
        var wide = Enumerable.Range(0, 200).Select(_ => huge[rng.Next(huge.Length)]).ToArray();
        Assert.Equal(Oracles.AntropySampenCounts(wide, 2, 1.2e308), SampleEntropy.CountMatches(wide, 2, 1.2e308));
    }

    private static double Tolerance(Random rng, double[] x)
    {
        double mean = x.Average();
        double std = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        switch (rng.Next(4))
        {
            case 0:
                // A difference that occurs in the signal: those pairs sit exactly on r and must not match.
                double d = Math.Abs(x[rng.Next(x.Length)] - x[rng.Next(x.Length)]);
                return d > 0 ? d : std > 0 ? std : 1.0;
            case 1:
                return std > 0 ? new[] { 0.05, 0.2, 0.5, 1.5 }[rng.Next(4)] * std : 1.0;
            default:
                return std > 0 ? 0.2 * std : 1.0;
        }
    }

    private static double[] Signal(Random rng, int kind, int n)
    {
        var g = Signals.Gaussian(n, rng.Next());
        var x = new double[n];
        switch (kind)
        {
            case 0: // white noise
                return g;
            case 1: // LFP-like: AR(1) + theta, in volts
            {
                double ar = 0;
                for (int i = 0; i < n; i++)
                {
                    ar = 0.95 * ar + g[i];
                    x[i] = 1e-5 * ar + 5e-5 * Math.Sin(2 * Math.PI * 8 * i / 1000.0);
                }
                return x;
            }
            case 2: // coarsely quantised: many ties, also in the first coordinate
            {
                int levels = rng.Next(2, 12);
                for (int i = 0; i < n; i++) x[i] = Math.Round(g[i] * levels / 3.0);
                return x;
            }
            case 3: // int16 ADC counts × 0.195 µV (products not exact in binary)
            {
                double ar = 0;
                for (int i = 0; i < n; i++)
                {
                    ar = 0.9 * ar + 20 * g[i];
                    x[i] = Math.Round(ar) * 0.195e-6;
                }
                return x;
            }
            case 4: // constant stretches, including +0 and −0
            {
                for (int i = 0; i < n;)
                {
                    int length = rng.Next(1, 40);
                    double value = rng.Next(4) switch { 0 => 0.0, 1 => -0.0, 2 => g[i], _ => Math.Round(g[i], 1) };
                    for (int k = 0; k < length && i < n; k++, i++) x[i] = rng.Next(3) == 0 ? g[i] : value;
                }
                return x;
            }
            case 5: // small integers; r is often an integer, so |d| = r happens
                for (int i = 0; i < n; i++) x[i] = rng.Next(0, 9);
                return x;
            case 6: // decimal grid: fl(a − b) lands on either side of r = 0.1·k
                for (int i = 0; i < n; i++) x[i] = rng.Next(0, 30) * 0.1;
                return x;
            case 7: // one huge outlier: the linear sort key collapses, the comparison-sort fallback runs
                for (int i = 0; i < n; i++) x[i] = g[i];
                x[rng.Next(n)] = 1e12;
                return x;
            case 8: // large offset, tiny spread
                for (int i = 0; i < n; i++) x[i] = 1000.0 + 1e-9 * g[i];
                return x;
            case 9: // subnormals and signed zeros
            {
                double[] values = [0.0, -0.0, double.Epsilon, -double.Epsilon, 3 * double.Epsilon, 1e-310, -1e-310];
                for (int i = 0; i < n; i++) x[i] = values[rng.Next(values.Length)];
                return x;
            }
            default: // exactly periodic: every value and template repeats
                for (int i = 0; i < n; i++) x[i] = Math.Sin(2 * Math.PI * (i % 25) / 25.0);
                return x;
        }
    }
}
