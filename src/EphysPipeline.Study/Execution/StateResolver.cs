using EphysPipeline.Core;
using EphysPipeline.Core.Fft;
using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.States;
using EphysPipeline.Spectral;
using EphysPipeline.Study.Execution.Stages;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// A state of one session, ready for the analysis: its intervals (file clock, s) and the samples of the analysed
/// recording a pass in this state leaves out (artifacts and everything outside the state). <see cref="Problem"/> says
/// why the state has no value in this session (its source is missing).
/// </summary>
internal sealed record SessionState(StateDefinition Definition, IReadOnlyList<TimeInterval> Intervals, ArtifactMask Excluded, string? Problem)
{
    public string Name => Definition.Name;

    /// <summary>Seconds of [from, to) (file clock) in the state, to the microsecond (a sum of many bouts carries rounding);
    /// NaN when the state has a problem.</summary>
    public double SecondsWithin(double from, double to) => Problem is null ? Math.Round(StateDetection.TimeWithin(Intervals, from, to), 6) : double.NaN;
}

/// <summary>Turns each state's source into intervals and exclusion masks on the preprocessed recording.</summary>
internal static class StateResolver
{
    public static List<SessionState> Resolve(IReadOnlyList<StateSource> sources, IRecording recording, ArtifactMask artifacts,
        IReadOnlyList<EpochPlan> epochs, IFftProvider fft, int threads, Action<string> warn)
    {
        var states = new List<SessionState>(sources.Count);
        double t0 = recording.StartTime, fs = recording.SampleRate, t1 = t0 + recording.SampleCount / fs;
        foreach (var source in sources)
        {
            var def = source.Definition;
            string? problem = source.Problem;
            IReadOnlyList<TimeInterval> intervals = [];
            if (problem is null)
            {
                try
                {
                    intervals = source.Intervals ?? LfpRatio(def, recording, artifacts, epochs, fft, threads);
                }
                catch (EphysInputException e)
                {
                    problem = e.Problem;
                }
            }
            if (problem is null && source.Intervals is { Count: > 0 } read)
            {
                int outside = read.Count(i => i.Start < t0 - 1e-9 || i.Stop > t1 + 1e-9);
                if (read.All(i => i.Stop <= t0 || i.Start >= t1))
                    problem = $"every interval lies outside the recording [{t0:0.###}, {t1:0.###}) s";
                // A behavioural series often runs a little past the recording; only table rows outside it are worth a word.
                else if (outside > 0 && def.Kind == StateSourceKind.Intervals)
                    warn($"state {def.Name}: {outside} of {read.Count} intervals reach outside the recording [{t0:0.###}, {t1:0.###}) s; the parts inside are used");
            }
            if (problem is not null)
            {
                warn($"state {def.Name}: {problem}; its values are NaN");
                states.Add(new SessionState(def, [], artifacts, problem));
                continue;
            }
            if (intervals.Count == 0) warn($"state {def.Name}: no time in this state ({def.Describe()}); its values are NaN");
            states.Add(new SessionState(def, intervals, Exclusion(intervals, recording, artifacts), null));
        }
        return states;
    }

    /// <summary>Artifacts plus every sample outside the intervals (sample k at t0 + k / fs is in the state if a ≤ t &lt; b).</summary>
    public static ArtifactMask Exclusion(IReadOnlyList<TimeInterval> intervals, IRecording recording, ArtifactMask artifacts)
    {
        double t0 = recording.StartTime, fs = recording.SampleRate;
        long n = recording.SampleCount;
        var excluded = new List<SampleInterval>(artifacts.Intervals);
        long cursor = 0;
        foreach (var i in intervals)
        {
            long start = Math.Clamp((long)Math.Ceiling((i.Start - t0) * fs - 1e-9), 0, n);
            long stop = Math.Clamp((long)Math.Ceiling((i.Stop - t0) * fs - 1e-9), 0, n);
            if (stop <= start) continue;
            if (start > cursor) excluded.Add(new SampleInterval(cursor, start));
            cursor = Math.Max(cursor, stop);
        }
        if (cursor < n) excluded.Add(new SampleInterval(cursor, n));
        var merged = new List<SampleInterval>();
        foreach (var e in excluded.Where(e => e.Stop > e.Start).OrderBy(e => e.Start))
        {
            if (merged.Count > 0 && e.Start <= merged[^1].Stop) merged[^1] = merged[^1] with { Stop = Math.Max(merged[^1].Stop, e.Stop) };
            else merged.Add(e);
        }
        return new ArtifactMask(merged, n, fs);
    }

    /// <summary>
    /// The LFP band-power ratio state: per window of window_s from each epoch's start, the median over the channels
    /// (of the region, or all analysed channels) of numerator / denominator band power (Welch, half-window Hann
    /// segments, 50 % overlap); a window touching an artifact has no ratio (not in the state).
    /// </summary>
    private static List<TimeInterval> LfpRatio(StateDefinition def, IRecording recording, ArtifactMask artifacts, IReadOnlyList<EpochPlan> epochs, IFftProvider fft, int threads)
    {
        double fs = recording.SampleRate;
        int window = (int)Math.Round(def.WindowS * fs);
        var numerator = new Band("numerator", def.NumeratorHz![0], def.NumeratorHz[1]);
        var denominator = new Band("denominator", def.DenominatorHz![0], def.DenominatorHz[1]);
        if (Math.Max(numerator.High, denominator.High) > fs / 2)
            throw new EphysInputException(recording.Source, null, $"lfp_ratio band above the Nyquist frequency {fs / 2} Hz");
        if (window < 8 || 2.0 * fs / window > Math.Min(numerator.High - numerator.Low, denominator.High - denominator.Low))
            throw new EphysInputException(recording.Source, null, $"lfp_ratio window_s {def.WindowS} is too short to resolve the bands (at least {2 * 2.0 / Math.Min(numerator.High - numerator.Low, denominator.High - denominator.Low):0.##} s)");
        var channels = recording.Channels.Select((c, i) => (c.Region, i)).Where(c => def.Region is null || c.Region == def.Region).Select(c => c.i).ToArray();
        if (channels.Length == 0)
            throw new EphysInputException(recording.Source, null, $"no analysed channel in region {def.Region} (have {string.Join(", ", recording.Channels.Select(c => c.Region).Distinct())})");
        var options = new WelchOptions(fs, window / 2, window / 4);
        // Windows are read in batches (serial, the recording is one stream) and their spectra computed on every thread;
        // a batch holds at most ~16 M samples whatever the channel count.
        int batch = (int)Math.Clamp(16_000_000L / ((long)channels.Length * window), 1, 256);
        var buffer = new double[batch * channels.Length * window];
        var ratios = new double[batch * channels.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        var intervals = new List<TimeInterval>();
        foreach (var epoch in epochs)
        {
            var times = new List<double>();
            var values = new List<double>();
            var starts = new List<long>();
            for (long start = epoch.Start; start + window <= epoch.Stop; start += window) starts.Add(start);
            for (int first = 0; first < starts.Count; first += batch)
            {
                int count = Math.Min(batch, starts.Count - first);
                var clean = new bool[count];
                for (int w = 0; w < count; w++)
                {
                    long start = starts[first + w];
                    clean[w] = !artifacts.Touches(start, start + window);
                    if (clean[w]) recording.ReadTraces(start, window, channels, buffer.AsSpan(w * channels.Length * window, channels.Length * window));
                }
                Parallel.For(0, count * channels.Length, parallel, () => new WelchAccumulator(options, fft), (k, _, welch) =>
                {
                    if (!clean[k / channels.Length]) return welch;
                    welch.Reset();
                    welch.Append(buffer.AsSpan(k * window, window));
                    var psd = welch.Result();
                    ratios[k] = BandPower.Absolute(psd, numerator).Value / BandPower.Absolute(psd, denominator).Value;
                    return welch;
                }, welch => welch.Dispose());
                for (int w = 0; w < count; w++)
                {
                    times.Add(recording.StartTime + starts[first + w] / fs);
                    values.Add(clean[w] ? Median(ratios.AsSpan(w * channels.Length, channels.Length)) : double.NaN);
                }
            }
            if (times.Count == 0) continue;
            var smoothed = StateDetection.MovingAverage(times.ToArray(), values.ToArray(), def.SmoothS);
            var bouts = StateDetection.Threshold(times.ToArray(), smoothed, def.Above, def.Below, def.Hysteresis);
            double end = recording.StartTime + (epoch.Start + (long)times.Count * window) / fs;
            intervals.AddRange(StateDetection.Clip(bouts, times[0], end));
        }
        return StateDetection.MinimumBouts(StateDetection.Union(intervals), def.MinBoutS);
    }

    private static double Median(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray().Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
