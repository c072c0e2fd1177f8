using EphysPipeline.TestSupport;
namespace EphysPipeline.Entropy.Tests;

/// <summary>Against antropy 0.1.9 outputs in expected.json (channel 0, fs 1000 Hz, 20 000 samples).</summary>
public class ConformanceTests
{
    [Theory]
    [MemberData(nameof(Signals.Names), MemberType = typeof(Signals))]
    public void PermutationEntropyMatchesAntropy(string name)
    {
        var x = Signals.Channel0(name);
        foreach (var (order, delay) in new[] { (3, 1), (5, 1), (4, 2) })
        {
            var value = PermutationEntropy.Compute(x, order, delay);
            Assert.True(value.IsValid);
            Assert.Equal(Signals.Expected(name, $"perm_entropy_o{order}_d{delay}"), value.Value, 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Signals.Names), MemberType = typeof(Signals))]
    public void SampleEntropyMatchesAntropy(string name)
    {
        var x = Signals.Channel0(name);
        Assert.Equal(Signals.Expected(name, "sample_entropy_m2_first2000"), SampleEntropy.Compute(x.AsSpan(0, 2000), 2).Value, 1e-12);
        Assert.Equal(Signals.Expected(name, "sample_entropy_m3_first3000"), SampleEntropy.Compute(x.AsSpan(0, 3000), 3).Value, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Signals.Names), MemberType = typeof(Signals))]
    public void LempelZivMatchesAntropy(string name)
    {
        var x = Signals.Channel0(name);
        var (raw, normalized) = LempelZiv.ComputeMedianSplit(x);
        Assert.Equal(Signals.Expected(name, "lz_median_binarized_raw"), raw.Value);
        Assert.Equal(Signals.Expected(name, "lz_median_binarized_normalized"), normalized.Value, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Signals.Names), MemberType = typeof(Signals))]
    public void SpectralEntropyMatchesAntropy(string name)
    {
        var x = Signals.Channel0(name);
        double expected = Signals.Expected(name, "spectral_entropy_welch1000");
        Assert.Equal(expected, SpectralEntropy.Welch(x, 1000, 1000, TestBackends.Fft).Value, 1e-12);
        using var acc = new ChannelEntropyAccumulator(new EntropyOptions { Metrics = EntropyMetrics.Spectral, SpectralWindowSeconds = 20, SpectralSegmentSeconds = 1 }, 1000, TestBackends.Fft);
        acc.Append(x);
        Assert.Equal(expected, acc.Summary().Spectral!.Mean, 1e-12);
    }
}
