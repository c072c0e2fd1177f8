using System.Numerics;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

public class SpikeFieldAndPacTests
{
    private static readonly long[] SpikeSamples = Fixtures.Expect("spike_field.spike_samples").Doubles().Select(s => (long)s).ToArray();

    /// <summary>Theta analytic signal of pair[0] over the whole run in one window (exactly scipy's).</summary>
    private static Complex[] WholeAnalytic(string band, int channel)
    {
        var rows = PhaseTestData.Filtered(band);
        var (values, count, _) = PhaseTestData.Stream([rows[channel]], 0, 20000, 32768, 2048);
        return PhaseTestData.Row(values, count, 0);
    }

    [Fact]
    public void SpikeFieldMatchesFixture()
    {
        var analytic = WholeAnalytic("theta", 0);
        var accumulator = new SpikeFieldAccumulator(Fixtures.SignalRate);
        accumulator.Append(analytic, 0, SpikeSamples);
        var result = accumulator.Result();
        Assert.Null(result.Reason);
        Assert.Equal(Fixtures.Expect("spike_field.n").GetInt32(), result.Spikes);
        Assert.Equal(Fixtures.Expect("spike_field.plv").GetDouble(), result.Plv, 1e-9);
        Assert.Equal(Fixtures.Expect("spike_field.ppc0").GetDouble(), result.Ppc0, 1e-9);
        Assert.Equal(Fixtures.Expect("spike_field.rayleigh_z").GetDouble(), result.RayleighZ, 1e-7);
        Assert.Equal(Fixtures.Expect("spike_field.preferred_phase").GetDouble(), result.PreferredPhase, 1e-9);
        Assert.Equal(304 / 20.0, result.FiringRate, 1e-12);
        // CircStat circ_rtest's Zar approximation evaluated in Python on the fixture's n and PLV.
        Assert.Equal(1.4521392773284215e-25, result.RayleighP, 1e-25 * 1e-6);
    }

    [Fact]
    public void StreamedSpikeFieldAgreesAndExcludesSpikesOutsideTheAppendedTime()
    {
        var rows = PhaseTestData.Filtered("theta");
        int trim = 1651;
        var accumulator = new SpikeFieldAccumulator(1000);
        var (values, count, first) = PhaseTestData.Stream([rows[0]], trim, 1000, 8192, 2048);
        accumulator.Append(values, first, SpikeSamples);
        var result = accumulator.Result();
        var inside = SpikeSamples.Count(s => s >= trim && s < 20000 - trim);
        Assert.Equal(inside, result.Spikes);
        Assert.Equal(inside / ((20000 - 2.0 * trim) / 1000), result.FiringRate, 1e-9);
        // The fixture's spikes all lie after sample 2100, so trimming the edges drops few; the locking stays the same.
        Assert.Equal(Fixtures.Expect("spike_field.plv").GetDouble(), result.Plv, 0.02);
    }

    [Fact]
    public void SplitPartsGiveTheBitsOfComplexSamples()
    {
        var analytic = WholeAnalytic("theta", 0);
        analytic[SpikeSamples[3]] = Complex.Zero;   // a spike without amplitude does not vote
        var complex = new SpikeFieldAccumulator(Fixtures.SignalRate);
        complex.Append(analytic, 0, SpikeSamples);
        var parts = new SpikeFieldAccumulator(Fixtures.SignalRate);
        var re = analytic.Select(z => z.Real).ToArray();
        var im = analytic.Select(z => z.Imaginary).ToArray();
        parts.Append(re.AsSpan(0, 9000), im.AsSpan(0, 9000), 0, SpikeSamples);
        parts.Append(re.AsSpan(9000), im.AsSpan(9000), 9000, SpikeSamples);
        Assert.Equal(complex.Result(), parts.Result());
        Assert.Equal(SpikeSamples.Count(s => s != SpikeSamples[3]), parts.Spikes);
    }

    [Fact]
    public void BinsFromSplitPartsAreTheBinsOfComplexSamples()
    {
        var rng = new Random(8);
        var z = Enumerable.Range(0, 1031).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        z[10] = new Complex(double.NaN, 1);
        z[11] = Complex.Zero;
        var accumulator = new ModulationIndexAccumulator();
        var expected = new int[z.Length];
        accumulator.BinIndices(z.Select(v => Math.Atan2(v.Imaginary, v.Real)).ToArray(), expected);
        var actual = new int[z.Length];
        accumulator.BinIndices(z.Select(v => v.Real).ToArray(), z.Select(v => v.Imaginary).ToArray(), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void NoSpikeAndOneSpikeGiveNaNWithReason()
    {
        var none = new SpikeFieldAccumulator(1000);
        none.Append(new Complex[500], 0, [600, 700]);
        var r0 = none.Result();
        Assert.Equal(0, r0.Spikes);
        Assert.Equal(0, r0.FiringRate);
        Assert.True(double.IsNaN(r0.Plv) && double.IsNaN(r0.Ppc0));
        Assert.Contains("no spikes", r0.Reason);

        var one = new SpikeFieldAccumulator(1000);
        one.AddSamples(1000);
        one.AddPhase(1.0);
        var r1 = one.Result();
        Assert.Equal(1, r1.Spikes);
        Assert.Equal(1.0, r1.Plv, 1e-15);
        Assert.True(double.IsNaN(r1.Ppc0));
        Assert.Contains("PPC", r1.Reason);
        Assert.True(double.IsNaN(new SpikeFieldAccumulator(1000).Result().FiringRate));
    }

    [Fact]
    public void PpcOfUniformRandomPhasesAveragesZero()
    {
        var rng = new Random(11);
        double total = 0;
        const int repeats = 400;
        for (int r = 0; r < repeats; r++)
        {
            var accumulator = new SpikeFieldAccumulator(1000);
            for (int i = 0; i < 20; i++) accumulator.AddPhase((rng.NextDouble() * 2 - 1) * Math.PI);
            total += accumulator.Result().Ppc0;
        }
        // PPC of 20 uniform phases has standard deviation ≈ √(2/(20·19)) ≈ 0.073; the mean of 400 ≈ 0.0036.
        Assert.InRange(total / repeats, -0.015, 0.015);
    }

    [Fact]
    public void ModulationIndexMatchesFixture()
    {
        var phase = WholeAnalytic("theta", 0);
        var amplitude = WholeAnalytic("low_gamma", 0);
        int n = phase.Length;
        var accumulator = new ModulationIndexAccumulator(Fixtures.Expect("pac.bins").GetInt32());
        // Two appends: the histogram sums stream.
        accumulator.Append(phase.AsSpan(2000, 7000), amplitude.AsSpan(2000, 7000));
        accumulator.Append(phase.AsSpan(9000, n - 2000 - 9000), amplitude.AsSpan(9000, n - 2000 - 9000));
        var result = accumulator.Result();
        Assert.Null(result.Reason);
        Assert.Equal(n - 4000, result.Samples);
        Assert.Equal(Fixtures.Expect("pac.mi").GetDouble(), result.Mi, 1e-9);
    }

    [Fact]
    public void ModulationIndexIsNaNWhenABinIsEmptyAndZeroForFlatAmplitude()
    {
        var accumulator = new ModulationIndexAccumulator(18);
        accumulator.Append([0.1, 0.2], [1.0, 2.0]);
        var empty = accumulator.Result();
        Assert.True(double.IsNaN(empty.Mi));
        Assert.Contains("no samples", empty.Reason);

        var flat = new ModulationIndexAccumulator(18);
        var phases = Enumerable.Range(0, 1800).Select(i => -Math.PI + (i + 0.5) * 2 * Math.PI / 1800).ToArray();
        flat.Append(phases, Enumerable.Repeat(2.5, 1800).ToArray());
        Assert.Equal(0, flat.Result().Mi, 1e-12);
        // +π closes the last bin, as numpy.digitize followed by clipping does.
        var edge = new ModulationIndexAccumulator(18);
        edge.Append([Math.PI], [1.0]);
        Assert.Equal(1.0, edge.Result().MeanAmplitude[17]);
    }

    [Fact]
    public void SharedBinningGivesTheSameSumsAsBinningPerBand()
    {
        var random = new Random(7);
        var phases = Enumerable.Range(0, 5000).Select(i => i % 97 == 0 ? double.NaN : i % 50 == 0 ? -Math.PI + (i % 18) * 2 * Math.PI / 18 : (random.NextDouble() * 2 - 1) * Math.PI).ToArray();
        var amplitude = Enumerable.Range(0, 5000).Select(i => i % 131 == 0 ? double.NaN : random.NextDouble()).ToArray();
        var direct = new ModulationIndexAccumulator(18);
        direct.Append(phases, amplitude);
        var shared = new ModulationIndexAccumulator(18);
        var bins = new int[phases.Length];
        shared.BinIndices(phases, bins);
        shared.Append(bins, amplitude);
        Assert.Equal(direct.Result().MeanAmplitude, shared.Result().MeanAmplitude);
        Assert.Equal(direct.Result().Samples, shared.Result().Samples);
        Assert.Equal(direct.Result().Mi, shared.Result().Mi);
    }

    [Fact]
    public void BinsOfAnalyticSamplesAreTheBinsOfTheirAtan2()
    {
        var random = new Random(11);
        var z = new List<Complex>();
        for (int i = 0; i < 20000; i++)
            z.Add(new Complex(random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-12, 12)));
        foreach (int bins in new[] { 18, 7 })
        {
            double step = 2 * Math.PI / bins;
            for (int k = 0; k <= bins; k++)
            {
                double edge = k == bins ? Math.PI : k * step + -Math.PI;
                foreach (double scale in new[] { 1e-300, 1e-5, 1.0, 3e7, 1e300 })
                {
                    double re = Math.Cos(edge) * scale, im = Math.Sin(edge) * scale;
                    foreach (double r in new[] { re, Math.BitIncrement(re), Math.BitDecrement(re) })
                        foreach (double m in new[] { im, Math.BitIncrement(im), Math.BitDecrement(im), im + 1e-8 * scale, im - 1e-8 * scale })
                            z.Add(new Complex(r, m));
                }
            }
        }
        double[] specials = [0.0, -0.0, 1.0, -1.0, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        foreach (double re in specials)
            foreach (double im in specials) z.Add(new Complex(re, im));

        foreach (int bins in new[] { 18, 7 })
        {
            var accumulator = new ModulationIndexAccumulator(bins);
            var samples = z.ToArray();
            var phases = samples.Select(v => Math.Atan2(v.Imaginary, v.Real)).ToArray();
            var expected = new int[samples.Length];
            accumulator.BinIndices(phases, expected);
            var actual = new int[samples.Length];
            accumulator.BinIndices(samples, actual);
            for (int t = 0; t < samples.Length; t++)
                Assert.True(expected[t] == actual[t], $"bins={bins} z={samples[t]:R}: atan2 bin {expected[t]}, got {actual[t]}");
        }
    }
}
