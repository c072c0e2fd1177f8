using EphysPipeline.TestSupport;
using EphysPipeline.Core;
using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing.Tests;

public class PreprocessorTests
{
    [Fact]
    public void ChainPutsOutBadChannelsReferencesDecimatesNotchesAndFindsArtifacts()
    {
        const double fs = 1000;
        var rng = new Random(11);
        var rows = Enumerable.Range(0, 5).Select(c => Enumerable.Range(0, 60_000).Select(t =>
            1e-4 * Math.Sin(2 * Math.PI * 8 * t / fs + c) + 5e-5 * Math.Sin(2 * Math.PI * 50 * t / fs) + 2e-5 * (rng.NextDouble() - 0.5)).ToArray()).ToArray();
        rows[3] = new double[60_000];
        for (int t = 40_000; t < 40_020; t++) rows[0][t] += 5e-3;
        var raw = new ArrayRecording(rows, fs);
        var options = PreprocessingOptions.Default with { DecimationFactor = 4, NotchBaseHz = 50, Reference = ReferenceMode.CommonAverage };
        using var prepared = Preprocessor.Prepare(raw, options, TestBackends.Fft);

        Assert.Equal([(3, BadChannelReason.Flat)], prepared.BadChannels.Bad.Select(b => (b.Position, b.Reason)));
        Assert.Equal([100L, 101, 102, 104], prepared.Recording.Channels.Select(c => c.ElectrodeId));
        Assert.Equal(250.0, prepared.Recording.SampleRate);
        Assert.Equal(15_000, prepared.Recording.SampleCount);
        Assert.Equal([50.0, 100.0], prepared.NotchFrequencies);
        var interval = Assert.Single(prepared.Artifacts.Intervals);
        Assert.True(interval.Start <= 10_000 - 62 && interval.Stop >= 10_005 + 62, $"artifact at {interval}");

        // 50 Hz is gone; what remains is the referenced 8 Hz plus noise.
        var data = TestData.ReadAll(prepared.Recording, 1024);
        double residual = 0;
        for (int j = 2000; j < 8000; j++)
        {
            double t = 4.0 * j / fs;
            double reference = Enumerable.Range(0, 5).Where(c => c != 3).Average(c => 1e-4 * Math.Sin(2 * Math.PI * 8 * t + c));
            residual = Math.Max(residual, Math.Abs(data[0][j] - (1e-4 * Math.Sin(2 * Math.PI * 8 * t) - reference)));
        }
        Assert.True(residual < 2e-5, $"residual {residual:E2}");
    }

    [Fact]
    public void WholeChainChunkedEqualsWholeBitwise()
    {
        var pair = TestData.Signal("pair");
        var rows = new[] { pair[0], pair[1], pair[0].Zip(pair[1], (a, b) => a - 0.5 * b).ToArray() };
        var options = new PreprocessingOptions(DecimationFactor: 3, NotchBaseHz: 50, Reference: ReferenceMode.CommonMedian);
        using var whole = Preprocessor.Prepare(new ArrayRecording(rows, 1000), options, TestBackends.Fft);
        using var chunked = Preprocessor.Prepare(new ArrayRecording(rows, 1000), options, TestBackends.Fft);
        var expected = TestData.ReadAll(whole.Recording, (int)whole.Recording.SampleCount);
        var actual = TestData.ReadAll(chunked.Recording, 401);
        for (int c = 0; c < rows.Length; c++) Assert.Equal(expected[c], actual[c]);
    }

    [Fact]
    public void ImpossibleSettingsAreInputErrors()
    {
        var rows = new[] { new double[1000], new double[1000] };
        var flat = new ArrayRecording(rows, 1000);
        Assert.Throws<EphysInputException>(() => Preprocessor.Prepare(flat, PreprocessingOptions.Default, TestBackends.Fft));
        Assert.True(flat.Disposed, "Prepare owns the raw recording, also when it fails");
        var noisy = Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, 1000).Select(t => Math.Sin(t * (c + 1.0))).ToArray()).ToArray();
        Assert.Throws<EphysInputException>(() => Preprocessor.Prepare(new ArrayRecording(noisy, 100), PreprocessingOptions.Default with { NotchBaseHz = 60 }, TestBackends.Fft));
    }
}
