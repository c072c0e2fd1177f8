using EphysPipeline.TestSupport;
using EphysPipeline.Core;
using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing.Tests;

public class ChannelThinningTests
{
    private static ChannelInfo[] Channels(params string[] regions) =>
        regions.Select((r, i) => new ChannelInfo(i, 100 + i, r, "shank0")).ToArray();

    [Fact]
    public void StepAndMaxPickEvenlyWithinEachRegionInRecordingOrder()
    {
        // Regions interleave; channel 3 is bad (not in good).
        var channels = Channels("CA1", "CA1", "VISp", "CA1", "CA1", "VISp", "CA1", "CA1", "CA1", "VISp");
        int[] good = [0, 1, 2, 4, 5, 6, 7, 8, 9];
        Assert.Equal(Enumerable.Range(0, 9), new ChannelThinning().Select(channels, good));
        // CA1 good: indices 0,1,3,5,6,7 (positions 0,1,4,6,7,8); VISp: 2,4,8.
        Assert.Equal([0, 2, 3, 6, 8], new ChannelThinning(Step: 2).Select(channels, good));
        // max 2: CA1 (6) → parts' centres 1 and 4 of 6 → indices 1, 6; VISp (3) → 0 and 2 of 3 → indices 2, 8.
        Assert.Equal([1, 2, 6, 8], new ChannelThinning(MaxPerRegion: 2).Select(channels, good));
        Assert.Equal([0, 2, 6, 8], new ChannelThinning(Step: 2, MaxPerRegion: 2).Select(channels, good));
        Assert.True(new ChannelThinning().KeepsAll);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelThinning(Step: 0).Select(channels, good));
    }

    [Fact]
    public void ThinnedChannelsKeepTheCommonAverageOfEveryGoodChannel()
    {
        var rng = new Random(3);
        var rows = Enumerable.Range(0, 8).Select(c => Enumerable.Range(0, 20_000).Select(_ => 1e-4 * (rng.NextDouble() - 0.5)).ToArray()).ToArray();
        string[] regions = ["PFC", "PFC", "PFC", "PFC", "HPC", "HPC", "HPC", "HPC"];
        var options = PreprocessingOptions.Default with { Reference = ReferenceMode.CommonAverage, Artifacts = null };
        using var all = Preprocessor.Prepare(new ArrayRecording(rows, 1000, regions: regions), options, TestBackends.Fft);
        using var thin = Preprocessor.Prepare(new ArrayRecording(rows, 1000, regions: regions), options with { Thinning = new ChannelThinning(MaxPerRegion: 2) }, TestBackends.Fft);

        Assert.Equal([101L, 103, 105, 107], thin.Recording.Channels.Select(c => c.ElectrodeId));
        Assert.Equal(8, thin.BadChannels.Good.Count);
        var full = TestData.ReadAll(all.Recording, 4096);
        var kept = TestData.ReadAll(thin.Recording, 4096);
        int[] positions = [1, 3, 5, 7];
        for (int k = 0; k < positions.Length; k++) Assert.Equal(full[positions[k]], kept[k]);
    }

    [Fact]
    public void ThinningWithBipolarReferenceIsAnError()
    {
        var rows = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 5_000).Select(t => Math.Sin(t * 0.01 + c) * 1e-4).ToArray()).ToArray();
        var options = PreprocessingOptions.Default with
        {
            Reference = ReferenceMode.Bipolar, BipolarPairs = [new BipolarPair(100, 101)], Thinning = new ChannelThinning(Step: 2),
        };
        var e = Assert.Throws<EphysInputException>(() => Preprocessor.Prepare(new ArrayRecording(rows, 1000), options, TestBackends.Fft));
        Assert.Contains("bipolar", e.Message);
    }
}
