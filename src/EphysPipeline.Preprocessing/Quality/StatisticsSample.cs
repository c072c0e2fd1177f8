using EphysPipeline.Core;

namespace EphysPipeline.Preprocessing.Quality;

/// <summary>
/// The cheap pre-pass behind the robust statistics: windows spread evenly over the recording, at most
/// <c>budgetSamples</c> samples per channel in total (the whole recording when it is shorter). Deterministic:
/// the windows depend only on the recording length and the budget.
/// </summary>
public static class StatisticsSample
{
    /// <summary>Default budget: 120 000 samples per channel (2 min at 1 kHz; ~1 MB per channel).</summary>
    public const int DefaultBudgetSamples = 120_000;

    /// <summary>The [start, start + length) windows to read.</summary>
    public static IReadOnlyList<(long Start, int Length)> Windows(long sampleCount, double sampleRate, int budgetSamples = DefaultBudgetSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetSamples, 1);
        var windows = new List<(long, int)>();
        if (sampleCount <= 0) return windows;
        if (sampleCount <= budgetSamples)
        {
            windows.Add((0, (int)sampleCount));
            return windows;
        }
        int window = (int)Math.Clamp(Math.Round(sampleRate), 1, budgetSamples);
        int count = budgetSamples / window;
        if (count == 1)
        {
            windows.Add(((sampleCount - window) / 2, window));
            return windows;
        }
        for (int i = 0; i < count; i++) windows.Add(((sampleCount - window) * i / (count - 1), window));
        return windows;
    }

    /// <summary>
    /// Values held at once while sampling (128 MB): channels are read in groups that fit. Each group decompresses
    /// the sampled chunks again, so groups are kept few (a 384-channel probe at 2.5 kHz: 3 groups).
    /// </summary>
    public const int MaxValuesInMemory = 16_000_000;

    /// <summary>
    /// Calls <paramref name="visit"/>(channel position, sampled values) for every channel in order, reading the
    /// windows for groups of channels so that memory stays under <see cref="MaxValuesInMemory"/> values
    /// (many-channel probes cost one more pass over the windows per group, not more memory).
    /// The values array is reused between calls. With <paramref name="threads"/> &gt; 1 the channels of a group are
    /// visited on that many threads at once (the reads stay on the caller's thread), so <paramref name="visit"/>
    /// must be safe to call for different channels at the same time.
    /// </summary>
    public static void ForEachChannel(IRecording recording, int budgetSamples, Action<int, double[]> visit, int maxValuesInMemory = MaxValuesInMemory,
        int threads = 1)
    {
        var windows = Windows(recording.SampleCount, recording.SampleRate, budgetSamples);
        int total = (int)windows.Sum(w => (long)w.Length);
        int channelCount = recording.Channels.Count;
        int group = Math.Clamp(maxValuesInMemory / Math.Max(total, 1), 1, Math.Max(channelCount, 1));
        var values = Enumerable.Range(0, Math.Min(group, channelCount)).Select(_ => new double[total]).ToArray();
        int maxWindow = windows.Count == 0 ? 0 : windows.Max(w => w.Length);
        var block = new double[(long)maxWindow * Math.Min(group, channelCount)];
        for (int first = 0; first < channelCount; first += group)
        {
            var channels = Enumerable.Range(first, Math.Min(group, channelCount - first)).ToArray();
            int offset = 0;
            foreach (var (start, length) in windows)
            {
                recording.ReadTraces(start, length, channels, block);
                for (int k = 0; k < channels.Length; k++) block.AsSpan(k * length, length).CopyTo(values[k].AsSpan(offset));
                offset += length;
            }
            if (threads > 1) Parallel.For(0, channels.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, k => visit(channels[k], values[k]));
            else for (int k = 0; k < channels.Length; k++) visit(channels[k], values[k]);
        }
    }
}
