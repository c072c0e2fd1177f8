using EphysPipeline.TestSupport;
namespace EphysPipeline.Spectral.Tests;

public class SpectrogramTests
{
    private static readonly SpectrogramOptions FourByTwo = new(new WelchOptions(TestData.Fs, 1000, 500), windowSeconds: 4, stepSeconds: 2);

    [Fact]
    public void FramesAreWelchOfEachWindowWithCentreTimes()
    {
        var x = TestData.Signal("pair");
        using var sg = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        sg.Append(x);
        Assert.Equal(9, sg.Frames.Count);
        for (int t = 0; t < sg.Frames.Count; t++)
        {
            Assert.Equal(2.0 + 2.0 * t, sg.Times[t], 1e-12);
            var expected = Welch.Compute(x.AsSpan(2000 * t, 4000), FourByTwo.Welch, TestBackends.Fft);
            Assert.Equal(expected.Power, sg.Frames[t].Power);
        }
    }

    [Fact]
    public void ChunkedEqualsWholeAndGapsAreNotStraddled()
    {
        var x = TestData.Signal("white");
        using var whole = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        whole.Append(x);
        using var chunked = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        for (int offset = 0; offset < x.Length; offset += 777) chunked.Append(x.AsSpan(offset, Math.Min(777, x.Length - offset)));
        Assert.Equal(whole.Times, chunked.Times);
        for (int t = 0; t < whole.Frames.Count; t++) Assert.Equal(whole.Frames[t].Power, chunked.Frames[t].Power);

        using var gapped = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        gapped.Append(x.AsSpan(0, 5000));
        gapped.Skip(3000);
        gapped.Append(x.AsSpan(8000, 6000));
        // Run 1 fits one window (0–4 s); run 2 starts at 8 s and fits two (8–12, 10–14 s).
        Assert.Equal([2.0, 10.0, 12.0], gapped.Times);
        Assert.Equal(whole.Frames[4].Power, gapped.Frames[1].Power);
    }

    [Theory]
    [InlineData(2.0, WelchAverage.Mean)]     // on the segment grid: frames share segments
    [InlineData(1.75, WelchAverage.Mean)]    // off the grid: each window's own Welch
    [InlineData(2.0, WelchAverage.Median)]
    public void EveryFrameIsTheWelchOfItsWindowAcrossNaNSegmentsAndRuns(double step, WelchAverage average)
    {
        var welch = new WelchOptions(TestData.Fs, 1000, 500, average);
        var options = new SpectrogramOptions(welch, windowSeconds: 4, stepSeconds: step);
        var x = TestData.Signal("pair");
        Array.Fill(x, double.NaN, 5200, 100);     // two segments of the frames holding it
        Array.Fill(x, double.NaN, 12_000, 3600);  // every segment of some frames
        using var sg = new SpectrogramAccumulator(options, TestBackends.Fft);
        sg.Append(x.AsSpan(0, 9_300));
        sg.StartNewRun();
        for (int at = 9_300; at < x.Length; at += 1234) sg.Append(x.AsSpan(at, Math.Min(1234, x.Length - at)));
        int runs = 0, frames = 0;
        foreach (var (runStart, runEnd) in new[] { (0, 9_300), (9_300, x.Length) })
        {
            runs++;
            for (int start = runStart; start + 4000 <= runEnd; start += options.StepSamples, frames++)
            {
                var expected = Welch.Compute(x.AsSpan(start, 4000), welch, TestBackends.Fft);
                var frame = sg.Frames[frames];
                Assert.Equal((start + 2000) / TestData.Fs, sg.Times[frames], 1e-12);
                Assert.Equal(expected.IsValid, frame.IsValid);
                Assert.Equal(expected.Segments, frame.Segments);
                Assert.Equal(expected.Power, frame.Power);
                Assert.Equal(expected.Reason, frame.Reason);
            }
        }
        Assert.Equal(frames, sg.Frames.Count);
        Assert.Contains(sg.Frames, f => !f.IsValid);
        Assert.Contains(sg.Frames, f => f.IsValid && f.Segments < 7);
    }

    [Theory]
    [InlineData(2.0, WelchAverage.Mean, 100.0)]     // shared segments, a band's worth of bins
    [InlineData(2.0, WelchAverage.Mean, 499.5)]     // every bin below Nyquist (each doubled), Nyquist left out
    [InlineData(2.0, WelchAverage.Mean, 500.0)]     // Nyquist included: every bin
    [InlineData(1.75, WelchAverage.Mean, 100.0)]    // each window's own Welch
    [InlineData(2.0, WelchAverage.Median, 37.0)]
    public void FramesLimitedToAMaxFrequencyAreTheFirstBinsOfTheFullFrames(double step, WelchAverage average, double maxFrequency)
    {
        var welch = new WelchOptions(TestData.Fs, 1000, 500, average);
        var full = new SpectrogramOptions(welch, windowSeconds: 4, stepSeconds: step);
        var limited = full with { MaxFrequency = maxFrequency };
        var x = TestData.Signal("pair");
        Array.Fill(x, double.NaN, 12_000, 3600);  // some frames hold only rejected segments
        using var a = new SpectrogramAccumulator(full, TestBackends.Fft);
        using var b = new SpectrogramAccumulator(limited, TestBackends.Fft);
        a.Append(x);
        b.Append(x);

        int bins = (int)Math.Floor(maxFrequency / welch.Resolution) + 1;
        Assert.Equal(bins, limited.Bins);
        Assert.Equal(a.Frequencies[..bins], b.Frequencies);
        Assert.Equal(a.Times, b.Times);
        Assert.Equal(a.Frames.Count, b.Frames.Count);
        Assert.Contains(b.Frames, f => !f.IsValid);
        for (int t = 0; t < a.Frames.Count; t++)
        {
            Assert.Equal(a.Frames[t].Power[..bins], b.Frames[t].Power);
            Assert.Equal(b.Frequencies, b.Frames[t].Frequencies);
            Assert.Equal((a.Frames[t].Segments, a.Frames[t].Reason), (b.Frames[t].Segments, b.Frames[t].Reason));
        }
    }

    [Fact]
    public void StepLongerThanWindowSkipsSamples()
    {
        var x = TestData.Signal("white");
        using var sg = new SpectrogramAccumulator(new SpectrogramOptions(new WelchOptions(TestData.Fs, 1000, 500), 2, 5), TestBackends.Fft);
        sg.Append(x);
        Assert.Equal([1.0, 6.0, 11.0, 16.0], sg.Times);
        Assert.Equal(Welch.Compute(x.AsSpan(5000, 2000), new WelchOptions(TestData.Fs, 1000, 500), TestBackends.Fft).Power, sg.Frames[1].Power);
    }

    [Fact]
    public void BandTimeCourseFollowsAnAmplitudeStep()
    {
        var x = new double[40_000];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i < 20_000 ? 1e-4 : 2e-4) * Math.Sin(2 * Math.PI * 8 * i / TestData.Fs);
        using var sg = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        sg.Append(x);
        var theta = sg.BandTimeCourse(new Band("theta", 6, 10));
        Assert.Equal(1.0, theta[0] / (1e-8 / 2), 0.01);
        Assert.Equal(4.0, theta[^1] / theta[0], 0.02);
        var relative = sg.RelativeBandTimeCourse(new Band("theta", 6, 10));
        Assert.All(relative, r => Assert.InRange(r, 0.99, 1.0));
        Assert.Equal(sg.Frames.Count, sg.ToMatrix().GetLength(0));
    }

    [Fact]
    public void WindowShorterThanSegmentIsAConfigurationError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectrogramOptions(new WelchOptions(TestData.Fs, 2000, 1000), 1, 1));
    }

    [Fact]
    public void NaNStretchGivesNaNFramesWithReasonNotAnException()
    {
        var x = TestData.Signal("white");
        Array.Fill(x, double.NaN, 0, 6000);
        using var sg = new SpectrogramAccumulator(FourByTwo, TestBackends.Fft);
        sg.Append(x);
        Assert.False(sg.Frames[0].IsValid);
        Assert.Contains("NaN", sg.Frames[0].Reason);
        Assert.True(double.IsNaN(sg.BandTimeCourse(new Band("theta", 6, 10))[0]));
        Assert.True(sg.Frames[^1].IsValid);
    }
}
