using EphysPipeline.Core;

namespace EphysPipeline.Preprocessing.Quality;

/// <summary>Artifact rejection settings.</summary>
/// <param name="K">A sample is artifactual where |x − median| &gt; K·1.4826·MAD on any channel.</param>
/// <param name="DilationSeconds">Each artifactual sample rejects this much on both sides.</param>
/// <param name="BudgetSamples">Samples per channel the median and MAD are estimated from (<see cref="StatisticsSample"/>).</param>
public sealed record ArtifactOptions(double K = 8.0, double DilationSeconds = 0.25, int BudgetSamples = StatisticsSample.DefaultBudgetSamples);

/// <summary>Per-channel centre and threshold the detector used (for the run's provenance).</summary>
public sealed record ArtifactThreshold(int Position, double Median, double Mad, double Threshold);

/// <summary>What the detector found: the mask and the per-channel thresholds.</summary>
public sealed record ArtifactReport(ArtifactMask Mask, IReadOnlyList<ArtifactThreshold> Thresholds);

/// <summary>
/// Two passes, memory independent of recording length: (1) median and MAD per channel from a
/// <see cref="StatisticsSample"/>; (2) the recording in blocks, every sample tested on every channel
/// (NaN samples are artifacts), flagged runs dilated by ±DilationSeconds and merged into a sorted interval list.
/// Channels whose MAD is 0 or NaN (flat; should have been put out as bad) are not tested.
/// </summary>
public static class ArtifactDetector
{
    /// <param name="threads">Threads for the per-channel statistics and the block test; the result does not depend on it.</param>
    public static ArtifactReport Detect(IRecording recording, ArtifactOptions? options = null, int threads = 1)
    {
        options ??= new ArtifactOptions();
        if (!(options.K > 0)) throw new EphysInputException(null, "preprocessing artifacts", $"K must be positive, got {options.K}");
        if (!(options.DilationSeconds >= 0)) throw new EphysInputException(null, "preprocessing artifacts", $"dilation must be >= 0 s, got {options.DilationSeconds}");
        int n = recording.Channels.Count;
        long total = recording.SampleCount;
        var thresholds = new ArtifactThreshold[n];
        StatisticsSample.ForEachChannel(recording, options.BudgetSamples, (c, values) =>
        {
            var (median, mad) = RobustStatistics.MedianAndMad(values);
            thresholds[c] = new ArtifactThreshold(c, median, mad, options.K * RobustStatistics.MadToSigma * mad);
        }, threads: threads);
        var tested = thresholds.Where(t => t.Threshold > 0 && double.IsFinite(t.Threshold)).ToArray();
        var testedChannels = tested.Select(t => t.Position).ToArray();

        long dilation = (long)Math.Round(options.DilationSeconds * recording.SampleRate);
        var merged = new List<SampleInterval>();
        int block = Math.Max(1, recording.PreferredBlockSamples);
        var data = new double[(long)block * testedChannels.Length];
        var flags = new byte[block];
        long runStart = -1;
        for (long start = 0; start < total && testedChannels.Length > 0; start += block)
        {
            int count = (int)Math.Min(block, total - start);
            recording.ReadTraces(start, count, testedChannels, data);
            flags.AsSpan(0, count).Clear();
            MarkBlock(data, count, tested, flags, threads);
            var f = flags.AsSpan(0, count);
            for (int t = 0; t < count; t++)
            {
                if (f[t] != 0)
                {
                    if (runStart < 0) runStart = start + t;
                }
                else if (runStart >= 0)
                {
                    Add(merged, runStart - dilation, start + t + dilation, total);
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) Add(merged, runStart - dilation, total + dilation, total);
        return new ArtifactReport(new ArtifactMask(merged, total, recording.SampleRate), thresholds);
    }

    /// <summary>Below this many values per block the test runs on one thread.</summary>
    private const long ParallelValues = 1 << 20;

    /// <summary>ORs every tested channel's exceedances into flags[0, count); with threads, each thread takes a time range.</summary>
    private static void MarkBlock(double[] data, int count, ArtifactThreshold[] tested, byte[] flags, int threads)
    {
        int parts = (long)count * tested.Length < ParallelValues ? 1 : Math.Min(threads, Math.Max(1, count / 4096));
        WorkSplit.For(parts, threads, p =>
        {
            int from = (int)((long)count * p / parts), to = (int)((long)count * (p + 1) / parts);
            MarkRange(data, count, tested, flags, from, to);
        });
    }

    private static void MarkRange(double[] data, int count, ArtifactThreshold[] tested, byte[] flags, int from, int to)
    {
        var f = flags.AsSpan(from, to - from);
        for (int k = 0; k < tested.Length; k++)
            ThresholdExceedance.Mark(data.AsSpan(k * count + from, to - from), tested[k].Median, tested[k].Threshold, f);
    }

    /// <summary>Appends [a, b) clipped to [0, total), merging with the last interval when they overlap or touch.</summary>
    private static void Add(List<SampleInterval> intervals, long a, long b, long total)
    {
        a = Math.Max(a, 0);
        b = Math.Min(b, total);
        if (b <= a) return;
        if (intervals.Count > 0 && a <= intervals[^1].Stop)
        {
            var last = intervals[^1];
            intervals[^1] = new SampleInterval(last.Start, Math.Max(last.Stop, b));
            return;
        }
        intervals.Add(new SampleInterval(a, b));
    }
}
