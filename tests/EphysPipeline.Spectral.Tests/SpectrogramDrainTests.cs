using EphysPipeline.TestSupport;
using EphysPipeline.Spectral;

namespace EphysPipeline.Spectral.Tests;

public class SpectrogramDrainTests
{
    [Fact]
    public void DrainedFramesEqualTheFramesKeptWhole()
    {
        const double fs = 200;
        var rng = new Random(4);
        var x = Enumerable.Range(0, 6000).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var options = new SpectrogramOptions(new WelchOptions(fs, 100, 50), windowSeconds: 2, stepSeconds: 1);
        using var whole = new SpectrogramAccumulator(options, TestBackends.Fft);
        whole.Append(x);
        using var drained = new SpectrogramAccumulator(options, TestBackends.Fft);
        var times = new List<double>();
        var frames = new List<PowerSpectrum>();
        for (int start = 0; start < x.Length; start += 777)
        {
            drained.Append(x.AsSpan(start, Math.Min(777, x.Length - start)));
            drained.Drain((t, f) => { times.Add(t); frames.Add(f); });
        }
        Assert.Empty(drained.Frames);
        Assert.Equal(whole.Times, times);
        Assert.Equal(whole.Frames.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++) Assert.Equal(whole.Frames[i].Power, frames[i].Power);
    }
}
