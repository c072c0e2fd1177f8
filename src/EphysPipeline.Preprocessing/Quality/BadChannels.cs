using EphysPipeline.Core;

namespace EphysPipeline.Preprocessing.Quality;

/// <summary>Why a channel was put out.</summary>
public enum BadChannelReason
{
    /// <summary>Named in the configuration.</summary>
    Listed,

    /// <summary>Standard deviation below a fraction of the median channel's.</summary>
    Flat,

    /// <summary>Too many samples at the recording's dtype limits.</summary>
    Clipped,

    /// <summary>NaN or infinite samples.</summary>
    NonFinite,
}

/// <summary>A channel put out: its position in the recording's channels, its electrode id, why, and the numbers.</summary>
public sealed record BadChannel(int Position, long ElectrodeId, BadChannelReason Reason, string Detail);

/// <summary>Thresholds of the bad-channel detector.</summary>
/// <param name="FlatFraction">Flat when std &lt; this × median channel std (or std is 0).</param>
/// <param name="ClippedFraction">Clipped when at least this fraction of samples sit at a dtype limit.</param>
/// <param name="ClipLimits">The raw dtype's range in volts (e.g. int16 × conversion), from the reader; null = no clipping test.</param>
/// <param name="Listed">Electrode ids to put out whatever their data.</param>
/// <param name="BudgetSamples">Samples per channel the statistics are estimated from (<see cref="StatisticsSample"/>).</param>
public sealed record BadChannelOptions(
    double FlatFraction = 0.01,
    double ClippedFraction = 0.01,
    (double Low, double High)? ClipLimits = null,
    IReadOnlyList<long>? Listed = null,
    int BudgetSamples = StatisticsSample.DefaultBudgetSamples);

/// <summary>The detector's verdict: the bad channels with a reason each, and the good positions in order.</summary>
public sealed record BadChannelReport(IReadOnlyList<BadChannel> Bad, IReadOnlyList<int> Good);

/// <summary>
/// Finds listed, non-finite, clipped and flat channels from a <see cref="StatisticsSample"/> of the recording
/// (the whole recording when it fits the budget). One reason per channel, in that order of precedence;
/// flatness is judged against the median std of the channels not already bad.
/// </summary>
public static class BadChannelDetector
{
    /// <param name="threads">Threads for the per-channel statistics; the result does not depend on it.</param>
    public static BadChannelReport Detect(IRecording recording, BadChannelOptions? options = null, int threads = 1)
    {
        options ??= new BadChannelOptions();
        int n = recording.Channels.Count;
        var listed = new HashSet<long>(options.Listed ?? []);
        var reasons = new BadChannel?[n];
        var std = new double[n];
        StatisticsSample.ForEachChannel(recording, options.BudgetSamples, (c, x) =>
        {
            long id = recording.Channels[c].ElectrodeId;
            if (listed.Contains(id))
            {
                reasons[c] = new BadChannel(c, id, BadChannelReason.Listed, "listed in the configuration");
                return;
            }
            int nonFinite = 0, clipped = 0;
            double sum = 0;
            foreach (double v in x)
            {
                if (!double.IsFinite(v)) nonFinite++;
                else sum += v;
            }
            if (nonFinite > 0)
            {
                reasons[c] = new BadChannel(c, id, BadChannelReason.NonFinite, FormattableString.Invariant($"{nonFinite} of {x.Length} sampled values are NaN or infinite"));
                return;
            }
            if (options.ClipLimits is var (low, high))
            {
                double tolerance = 1e-9 * Math.Abs(high - low);
                foreach (double v in x)
                {
                    if (v <= low + tolerance || v >= high - tolerance) clipped++;
                }
                double fraction = x.Length == 0 ? 0 : (double)clipped / x.Length;
                if (x.Length > 0 && fraction >= options.ClippedFraction)
                {
                    reasons[c] = new BadChannel(c, id, BadChannelReason.Clipped, FormattableString.Invariant($"{fraction:P2} of sampled values at the dtype limits [{low:G6}, {high:G6}] V"));
                    return;
                }
            }
            double mean = x.Length == 0 ? double.NaN : sum / x.Length;
            double squares = 0;
            foreach (double v in x) squares += (v - mean) * (v - mean);
            std[c] = x.Length == 0 ? double.NaN : Math.Sqrt(squares / x.Length);
        }, threads: threads);

        var candidateStd = Enumerable.Range(0, n).Where(c => reasons[c] is null).Select(c => std[c]).ToArray();
        double medianStd = RobustStatistics.MedianInPlace(candidateStd);
        for (int c = 0; c < n; c++)
        {
            if (reasons[c] is not null) continue;
            if (std[c] == 0 || std[c] < options.FlatFraction * medianStd || double.IsNaN(std[c]))
            {
                reasons[c] = new BadChannel(c, recording.Channels[c].ElectrodeId, BadChannelReason.Flat,
                    FormattableString.Invariant($"std {std[c]:G4} V < {options.FlatFraction} × median channel std {medianStd:G4} V"));
            }
        }
        var bad = reasons.Where(r => r is not null).Select(r => r!).ToArray();
        var good = Enumerable.Range(0, n).Where(c => reasons[c] is null).ToArray();
        return new BadChannelReport(bad, good);
    }
}
