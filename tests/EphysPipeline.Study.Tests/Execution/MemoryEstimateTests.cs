using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>validate's memory check: a session that cannot fit is refused with the estimate and what lowers it.</summary>
public class MemoryEstimateTests
{
    private static readonly StudyManifest Study = new("/s/study.yaml", "s", "/s/output", null, "saline", "baseline",
        [new EpochWindow("baseline", -100, -20), new EpochWindow("acute", 40, 126), new EpochWindow("late", 126, 230)], []);

    private const long GiB = 1L << 30;

    [Fact]
    public void AThousandChannelsWithAllPairsAreRefusedOnASixGigabyteMachineWithTheOptionsThatLowerIt()
    {
        var config = new AnalysisConfig();
        var check = new MemoryCheck(config, Jobs: 1, AtOnce: 1, MaxMemoryBytes: GiB, AvailableBytes: 6 * GiB);
        var estimate = check.Estimate(Study, 1024, 1000);
        Assert.True(estimate.TotalBytes > 6 * GiB, MemoryEstimate.Format(estimate.TotalBytes));
        // The all-pairs parts dominate: they grow with the square of the channels.
        Assert.StartsWith("coherence sums", estimate.Largest(1));
        var problem = check.Problem(Study, 1024, 1000);
        Assert.NotNull(problem);
        Assert.Contains($"needs about {MemoryEstimate.Format(estimate.TotalBytes)} of memory for 1024 channels", problem);
        Assert.Contains("but 6.0 GiB is available", problem);
        Assert.Contains("phase.coherence: false (", problem);
        Assert.Contains("a channel subset (the session's channels:)", problem);

        var without = MemoryEstimate.For(config, Study, 1024, 1000, GiB, coherence: false);
        Assert.True(without.TotalBytes < estimate.TotalBytes * 2 / 3);
        config.Phase.Coherence = false;
        Assert.Equal(without.TotalBytes, check.Estimate(Study, 1024, 1000).TotalBytes);
        Assert.Null(new MemoryCheck(new AnalysisConfig(), 1, 1, GiB, 64 * GiB).Problem(Study, 1024, 1000));
    }

    [Fact]
    public void SessionsAtOnceShareTheMachineAndTheMessageSaysHowManyFit()
    {
        var config = new AnalysisConfig();
        long one = new MemoryCheck(config, 4, 4, 4 * GiB, 1).Estimate(Study, 384, 1000).TotalBytes;
        long available = one * 5 / 2; // two fit, four do not
        var problem = new MemoryCheck(config, 4, 4, 4 * GiB, available).Problem(Study, 384, 1000);
        Assert.NotNull(problem);
        Assert.Contains("for 4 sessions at once", problem);
        Assert.Contains("--jobs 2", problem);
        Assert.Null(new MemoryCheck(config, 4, 2, 4 * GiB, available).Problem(Study, 384, 1000));
    }

    [Fact]
    public void TheEstimateFollowsTheConfigAndStates()
    {
        var config = new AnalysisConfig();
        long Of(int channels) => MemoryEstimate.For(config, Study, channels, 1000, GiB).TotalBytes;
        long large = Of(256);
        Assert.True(Of(256) - Of(128) > 2 * (Of(128) - Of(64)), "the all-pairs parts grow faster than the channels");
        var withStates = Study with { States = [new StateDefinition("run", StateSourceKind.Intervals), new StateDefinition("rest", StateSourceKind.Intervals)] };
        Assert.True(MemoryEstimate.For(config, withStates, 256, 1000, GiB).TotalBytes > large, "each state is another pass with its own pair rows");
        Assert.True(MemoryEstimate.For(config, Study, 256, 1000, GiB, phase: false).TotalBytes < large / 2);
    }
}

/// <summary>`ephys validate` with the memory check, as a user runs it.</summary>
// Runs alone: a child started while another test writes an HDF5 file would inherit that file's lock.
[Collection(SyntheticStudyCollection.Name)]
public class ValidateMemoryTests
{
    private static string Manifest(EphysPipeline.TestSupport.TempDirectory dir)
    {
        var manifest = Path.Combine(dir.Path, "study.yaml");
        File.WriteAllText(manifest, $"""
            study: memory
            control: saline
            epochs:
              baseline: [-50, -5]
              acute: [10, 110]
            sessions:
              - {"{"}id: s1, file: {EphysPipeline.TestSupport.Fixtures.PathOf("nwb/ketamine_m01.nwb")}, subject: m01, drug: saline, injection_s: 60{"}"}
            """);
        return manifest;
    }

    [Fact]
    public void ValidateStatesTheLargestSessionsNeedAndRefusesWhatCannotFit()
    {
        using var dir = EphysPipeline.TestSupport.Fixtures.TempDir();
        var manifest = Manifest(dir);
        var fits = EphysProcess.Run(TimeSpan.FromMinutes(1), "validate", manifest, "--jobs", "1");
        Assert.True(fits.ExitCode == 0, fits.StandardError);
        Assert.Contains("memory: the largest session (s1, 8 channels) needs about", fits.StandardOutput);
        Assert.Contains("MiB; 1 at once,", fits.StandardOutput);

        // A 128 MiB heap limit is the machine's memory as the runtime sees it (as a container limit would be).
        var limited = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x8000000" };
        var refused = EphysProcess.Run(TimeSpan.FromMinutes(1), limited, "validate", manifest, "--jobs", "1");
        Assert.True(refused.ExitCode == 1, refused.StandardError);
        Assert.Contains("s1: needs about", refused.StandardError);
        Assert.Contains("of memory for 8 channels", refused.StandardError);
        Assert.Contains("but 128 MiB is available; lower it with", refused.StandardError);
    }
}
