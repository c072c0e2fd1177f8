using Xunit.Abstractions;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Preprocessing.Recordings;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Preprocessing.Tests;

public class DecimationAndNotchTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void DecimationEqualsResamplePolyEdgesIncluded(int index)
    {
        var fixture = TestData.Preprocessing.GetProperty("decimate")[index];
        int q = fixture.GetProperty("q").GetInt32();
        var x = TestData.Signal("pair")[0];
        using var decimated = new DecimatedRecording(new ArrayRecording([x], 1000), q);
        Assert.Equal(fixture.GetProperty("length").GetInt64(), decimated.SampleCount);
        Assert.Equal(1000.0 / q, decimated.SampleRate);
        var y = TestData.ReadAll(decimated, 333)[0];
        var head = fixture.GetProperty("head").Doubles();
        var tail = fixture.GetProperty("tail").Doubles();
        double headError = TestData.RelativeError(y.AsSpan(0, head.Length), head);
        double tailError = TestData.RelativeError(y.AsSpan(y.Length - tail.Length), tail);
        output.WriteLine($"resample_poly q {q}: head {headError:E2}, tail {tailError:E2}");
        Assert.True(headError < 1e-6 && tailError < 1e-6, $"q {q}: head {headError:E2}, tail {tailError:E2}");
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 1000)]
    public void DecimationChunkedEqualsWholeBitwise(int q, int block)
    {
        var pair = TestData.Signal("pair");
        using var whole = new DecimatedRecording(new ArrayRecording(pair, 1000), q);
        using var chunked = new DecimatedRecording(new ArrayRecording(pair, 1000), q);
        var expected = TestData.ReadAll(whole, (int)whole.SampleCount);
        var actual = TestData.ReadAll(chunked, block);
        for (int c = 0; c < pair.Length; c++) Assert.Equal(expected[c], actual[c]);
    }

    [Fact]
    public void DecimatedSineKeepsAmplitudeAndAliasIsRemoved()
    {
        const double fs = 1000;
        const int q = 5;
        var x = Enumerable.Range(0, 20000).Select(t => 2.0 * Math.Sin(2 * Math.PI * 13 * t / fs) + Math.Sin(2 * Math.PI * 180 * t / fs)).ToArray();
        using var decimated = new DecimatedRecording(new ArrayRecording([x], fs), q);
        var y = TestData.ReadAll(decimated, 500)[0];
        // 180 Hz lies above the new Nyquist (100 Hz): folded to 20 Hz it would add 1.0; the Kaiser filter leaves < 1 %.
        for (int j = 100; j < y.Length - 100; j++) Assert.Equal(2.0 * Math.Sin(2 * Math.PI * 13 * j * q / fs), y[j], 1e-2);
    }

    [Fact]
    public void NotchEqualsMneNotchFilter()
    {
        var notch = TestData.Preprocessing.GetProperty("notch");
        var x = TestData.Signal("sines")[0];
        using var filtered = new FilteredRecording(new ArrayRecording([x], 1000), FirDesign.Notch(1000, notch.GetProperty("freqs").Doubles()), TestBackends.Fft);
        var y = TestData.ReadAll(filtered, 4096)[0];
        var edge = notch.GetProperty("edge_output").Doubles();
        var interior = notch.GetProperty("interior_output").Doubles();
        int start = notch.GetProperty("interior_start").GetInt32();
        double edgeError = TestData.RelativeError(y.AsSpan(0, edge.Length), edge);
        double interiorError = TestData.RelativeError(y.AsSpan(start, interior.Length), interior);
        output.WriteLine($"notch: edge {edgeError:E2}, interior {interiorError:E2}");
        Assert.True(edgeError < 1e-8 && interiorError < 1e-8, $"edge {edgeError:E2}, interior {interiorError:E2}");
    }

    [Fact]
    public void NotchRemovesLineAndKeepsNeighbours()
    {
        const double fs = 1000;
        var x = Enumerable.Range(0, 30000).Select(t => Math.Sin(2 * Math.PI * 50 * t / fs) + 0.5 * Math.Sin(2 * Math.PI * 150 * t / fs) + Math.Sin(2 * Math.PI * 40 * t / fs)).ToArray();
        using var filtered = new FilteredRecording(new ArrayRecording([x], fs), FirDesign.Notch(fs, FirDesign.Harmonics(50, fs)), TestBackends.Fft);
        var y = TestData.ReadAll(filtered, 7000)[0];
        for (int t = 8000; t < 22000; t++) Assert.Equal(Math.Sin(2 * Math.PI * 40 * t / fs), y[t], 1e-2);
    }
}
