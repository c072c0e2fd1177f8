using System.Globalization;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution.Stages;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Peak memory of one session's analysis, from its channel count and the config, before any work: what grows with
/// the channels (all-pairs results and accumulators, the analytic stream, per-channel stage state) plus the sample
/// blocks (the run's --max-memory share) and the runtime. docs/faults.md gives the model and how it compares with
/// measured peaks.
/// </summary>
public sealed record MemoryEstimate(long TotalBytes, IReadOnlyList<(string Part, long Bytes)> Parts)
{
    private const long Runtime = 160L << 20;
    private const long PerChannelState = 1L << 20; // spectral, spectrogram, entropy and multitaper state per channel
    // Pair costs fitted to measured peaks (docs/faults.md): the row or sum itself and what writing it out takes.
    private const long PairRowBytes = 32;           // one pairs.csv row (24 bytes packed), held until the session is written
    private const long PairPhaseBytes = 64;         // per channel pair and phase band: the PLV/wPLI sums
    private const long PairBinBytes = 64;           // per channel pair and kept bin: the coherence sums (seven planes)
    private const long ChannelBinBytes = 2048;      // per channel and kept bin: buffered segment spectra
    private const double Headroom = 1.25;           // the garbage collector's working room over live data
    private const int MinimumAnalyticWindow = 16384;

    /// <summary>
    /// Block memory per sample of a block: two raw blocks (the one analysed and the next, read meanwhile), plus per
    /// phase band a filtered row and a complex analytic row.
    /// </summary>
    public static long BlockBytesPerSample(AnalysisConfig config, int channels, bool phase) =>
        channels * (16L + (phase ? 24L * PhaseStage.BandCount(config) : 0));

    /// <summary>The estimate for a session of <paramref name="channels"/> channels at <paramref name="sampleRate"/> Hz.</summary>
    /// <remarks><paramref name="phase"/> and <paramref name="coherence"/> false estimate the config with that family off.</remarks>
    public static MemoryEstimate For(AnalysisConfig config, StudyManifest manifest, int channels, double sampleRate, long budgetBytes,
        bool phase = true, bool coherence = true)
    {
        // As SessionAnalyzer sizes them: execution.block_s, lowered to the budget.
        long bytesPerSample = BlockBytesPerSample(config, channels, phase && config.Phase.Enabled);
        long blockBytes = Math.Min(budgetBytes, (long)(config.Execution.BlockS * sampleRate) * bytesPerSample);
        var parts = new List<(string, long)> { ("runtime", Runtime), ("sample blocks", blockBytes), ("per-channel state", channels * PerChannelState) };
        var settings = config.Phase;
        bool withCoherence = coherence && settings.Coherence;
        if (phase && settings.Enabled && channels > 0)
        {
            long pairs = (long)channels * (channels - 1) / 2;
            int passes = 1 + manifest.States.Count;
            int epochs = manifest.Epochs.Count;
            int bands = settings.Bands.Count;
            parts.Add(("pair rows", pairs * epochs * passes * bands * (3 + (withCoherence ? 9 : 0)) * PairRowBytes));
            parts.Add(("phase pair sums", pairs * bands * PairPhaseBytes));
            if (withCoherence)
            {
                double segment = config.Spectral.SegmentS;
                long bins = settings.Bands.Sum(b => KeptBins(config, b, segment));
                parts.Add(("coherence sums", pairs * bins * PairBinBytes + channels * bins * ChannelBinBytes));
            }
            int analyticBands = PhaseStage.BandCount(config);
            double rate = sampleRate / Math.Max(1, config.Preprocessing.Decimate);
            long longest = (long)(manifest.Epochs.Select(e => e.End - e.Start).DefaultIfEmpty(0).Max() * rate);
            long cap = (long)(settings.AnalyticMemoryMb * (1 << 20)) / Math.Max(1, 16L * analyticBands * channels);
            long window = Math.Min(longest, Math.Max(MinimumAnalyticWindow, cap));
            // The window's input and Hilbert planes; consumers read them in place.
            parts.Add(("analytic stream", 16L * analyticBands * channels * window));
        }
        long managed = parts.Where(p => p.Item1 is not ("runtime" or "sample blocks")).Sum(p => p.Item2);
        long total = Runtime + blockBytes + (long)(managed * Headroom);
        return new MemoryEstimate(total, parts);
    }

    /// <summary>The biggest parts, for a message: "pair rows 3.1 GiB, coherence sums 2.4 GiB, …".</summary>
    public string Largest(int count = 3) =>
        string.Join(", ", Parts.OrderByDescending(p => p.Bytes).Take(count).Select(p => $"{p.Part} {Format(p.Bytes)}"));

    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("F0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>Bins of a band kept by the Welch connectivity at the spectral segment's resolution.</summary>
    private static long KeptBins(AnalysisConfig config, string band, double segmentS)
    {
        if (!config.Spectral.Bands.TryGetValue(band, out var edges) || edges.Count < 2) return 0;
        return Math.Max(0, (long)Math.Floor(edges[1] * segmentS) - (long)Math.Ceiling(edges[0] * segmentS) + 1);
    }
}

/// <summary>
/// Whether a session fits the machine when the run has <paramref name="Jobs"/> (each session gets that share of
/// <paramref name="MaxMemoryBytes"/> for sample blocks) and <paramref name="AtOnce"/> sessions run together in
/// <paramref name="AvailableBytes"/> (the machine's memory, or the container's limit).
/// </summary>
public sealed record MemoryCheck(AnalysisConfig Config, int Jobs, int AtOnce, long MaxMemoryBytes, long AvailableBytes)
{
    /// <summary>The machine's memory as the runtime sees it (a cgroup or heap limit included).</summary>
    public static long MachineBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>One session's estimate with this run's share of --max-memory.</summary>
    public MemoryEstimate Estimate(StudyManifest manifest, int channels, double sampleRate) =>
        MemoryEstimate.For(Config, manifest, channels, sampleRate, MaxMemoryBytes / Jobs);

    /// <summary>Null when the session fits; otherwise the estimate, what dominates it and the options that lower it.</summary>
    public string? Problem(StudyManifest manifest, int channels, double sampleRate)
    {
        long budget = MaxMemoryBytes / Jobs;
        long share = AvailableBytes / AtOnce;
        var estimate = Estimate(manifest, channels, sampleRate);
        if (estimate.TotalBytes <= share) return null;
        var options = new List<string>();
        if (AtOnce > 1 && AvailableBytes / estimate.TotalBytes is var fit and >= 1) options.Add($"--jobs {fit}");
        if (Config.Phase.Enabled && Config.Phase.Coherence)
            options.Add($"phase.coherence: false ({MemoryEstimate.Format(MemoryEstimate.For(Config, manifest, channels, sampleRate, budget, coherence: false).TotalBytes)})");
        if (Config.Phase.Enabled)
            options.Add($"phase.enabled: false ({MemoryEstimate.Format(MemoryEstimate.For(Config, manifest, channels, sampleRate, budget, phase: false).TotalBytes)})");
        options.Add("a channel subset (the session's channels:)");
        if (estimate.Parts.Single(p => p.Part == "sample blocks").Bytes * 4 > estimate.TotalBytes) options.Add("a smaller --max-memory");
        string available = AtOnce > 1
            ? $"{MemoryEstimate.Format(share)} per session is available ({MemoryEstimate.Format(AvailableBytes)} for {AtOnce} sessions at once)"
            : $"{MemoryEstimate.Format(AvailableBytes)} is available";
        return $"needs about {MemoryEstimate.Format(estimate.TotalBytes)} of memory for {channels} channels ({estimate.Largest()}) but {available}; " +
               $"lower it with {string.Join(", ", options)}";
    }
}
