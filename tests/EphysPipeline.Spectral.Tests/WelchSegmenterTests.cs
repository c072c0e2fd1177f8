using EphysPipeline.TestSupport;
using System.Numerics;

namespace EphysPipeline.Spectral.Tests;

public class WelchSegmenterTests
{
    private sealed class Recorder : ISegmentSink
    {
        public readonly List<long> Starts = [];
        public readonly List<Complex[]> Spectra = [];

        public void OnSegment(ReadOnlySpan<Complex> spectrum, bool finite, long startSample)
        {
            Starts.Add(startSample);
            Spectra.Add(spectrum.ToArray());
        }
    }

    [Fact]
    public void SegmentsStartOnTheStepGridOfEachRunAndMatchTransform()
    {
        var x = TestData.Signal("sines");
        using var segmenter = new WelchSegmenter(1000, 500, TestBackends.Fft);
        var sink = new Recorder();
        segmenter.Append(x.AsSpan(0, 2700), sink);
        segmenter.Skip(300);
        segmenter.Append(x.AsSpan(3000, 1600), sink);
        Assert.Equal([0L, 500, 1000, 1500, 3000, 3500], sink.Starts);

        var expected = new Complex[segmenter.Bins];
        Assert.True(segmenter.Transform(x.AsSpan(3500, 1000), expected));
        Assert.Equal(expected, sink.Spectra[^1]);
        Assert.Equal(375.0, segmenter.WindowSumOfSquares, 1e-9);
    }

    [Fact]
    public void DpssTapersAreOrthonormal()
    {
        var dpss = Dpss.Compute(512, 4, 7, periodic: false, TestBackends.Fft);
        for (int a = 0; a < 7; a++)
            for (int b = 0; b <= a; b++)
            {
                double dot = 0;
                for (int i = 0; i < 512; i++) dot += dpss.Tapers[a][i] * dpss.Tapers[b][i];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-10);
            }
        Assert.All(dpss.Ratios, r => Assert.InRange(r, 0.9, 1.0));
    }
}
