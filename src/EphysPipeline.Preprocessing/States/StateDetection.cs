namespace EphysPipeline.Preprocessing.States;

/// <summary>A half-open time interval [Start, Stop) in seconds on the recording's clock.</summary>
public readonly record struct TimeInterval(double Start, double Stop)
{
    public double Length => Stop - Start;
}

/// <summary>
/// Turns behavioural or LFP-derived samples into state intervals: speed from position, smoothing, a threshold with
/// hysteresis, minimum bout length, union and intersection of sorted interval lists. Pure functions.
/// </summary>
public static class StateDetection
{
    /// <summary>
    /// Speed |d position / dt| per sample, each coordinate differentiated as numpy.gradient with its sample times
    /// (second-order central differences inside, first-order at the ends); NaN where a coordinate is NaN.
    /// </summary>
    /// <param name="values">Samples × width, row-major.</param>
    public static double[] Speed(ReadOnlySpan<double> times, ReadOnlySpan<double> values, int width)
    {
        int n = times.Length;
        if (width < 1 || values.Length != n * width) throw new ArgumentException("values must be samples × width");
        var speed = new double[n];
        if (n < 2)
        {
            if (n == 1) speed[0] = double.NaN;
            return speed;
        }
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int c = 0; c < width; c++)
            {
                double g;
                if (i == 0) g = (values[width + c] - values[c]) / (times[1] - times[0]);
                else if (i == n - 1) g = (values[i * width + c] - values[(i - 1) * width + c]) / (times[i] - times[i - 1]);
                else
                {
                    double hs = times[i] - times[i - 1], hd = times[i + 1] - times[i];
                    g = (hs * hs * values[(i + 1) * width + c] + (hd * hd - hs * hs) * values[i * width + c] - hd * hd * values[(i - 1) * width + c])
                        / (hs * hd * (hd + hs));
                }
                sum += g * g;
            }
            speed[i] = Math.Sqrt(sum);
        }
        return speed;
    }

    /// <summary>
    /// Centred moving average over samples within ±window/2 s of each sample (NaN samples left out; NaN where the
    /// window holds none). A window of 0 returns a copy.
    /// </summary>
    public static double[] MovingAverage(ReadOnlySpan<double> times, ReadOnlySpan<double> values, double windowS)
    {
        var result = values.ToArray();
        if (windowS <= 0) return result;
        double half = windowS / 2;
        int lo = 0, hi = 0, count = 0;
        double sum = 0;
        for (int i = 0; i < times.Length; i++)
        {
            while (hi < times.Length && times[hi] <= times[i] + half)
            {
                if (double.IsFinite(values[hi])) { sum += values[hi]; count++; }
                hi++;
            }
            while (times[lo] < times[i] - half)
            {
                if (double.IsFinite(values[lo])) { sum -= values[lo]; count--; }
                lo++;
            }
            result[i] = count > 0 ? sum / count : double.NaN;
        }
        return result;
    }

    /// <summary>
    /// Intervals where the samples are above <paramref name="above"/> (or below <paramref name="below"/>), with
    /// hysteresis: once in, a sample stays in until it crosses the threshold by more than the hysteresis the other way
    /// (above: falls below above − h; below: rises above below + h). NaN leaves the state. Each sample holds its value
    /// until the next sample; the last one for the median sample spacing.
    /// </summary>
    public static List<TimeInterval> Threshold(ReadOnlySpan<double> times, ReadOnlySpan<double> values, double? above, double? below, double hysteresis)
    {
        if ((above is null) == (below is null)) throw new ArgumentException("give exactly one of above or below");
        var intervals = new List<TimeInterval>();
        int n = times.Length;
        if (n == 0) return intervals;
        double last = n > 1 ? MedianStep(times) : 0;
        bool inside = false;
        double start = 0;
        for (int i = 0; i < n; i++)
        {
            double v = values[i];
            bool next = double.IsNaN(v) ? false
                : above is { } a ? (inside ? v >= a - hysteresis : v > a)
                : (inside ? v <= below!.Value + hysteresis : v < below!.Value);
            if (next && !inside) start = times[i];
            if (!next && inside) intervals.Add(new TimeInterval(start, times[i]));
            inside = next;
        }
        if (inside) intervals.Add(new TimeInterval(start, times[n - 1] + last));
        return intervals;
    }

    /// <summary>The intervals at least <paramref name="minimumS"/> long.</summary>
    public static List<TimeInterval> MinimumBouts(IEnumerable<TimeInterval> intervals, double minimumS) =>
        intervals.Where(i => i.Length >= minimumS && i.Length > 0).ToList();

    /// <summary>Sorted, disjoint, non-touching union of any intervals (empty ones dropped).</summary>
    public static List<TimeInterval> Union(IEnumerable<TimeInterval> intervals)
    {
        var merged = new List<TimeInterval>();
        foreach (var i in intervals.Where(i => i.Stop > i.Start).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && i.Start <= merged[^1].Stop)
                merged[^1] = merged[^1] with { Stop = Math.Max(merged[^1].Stop, i.Stop) };
            else merged.Add(i);
        }
        return merged;
    }

    /// <summary>The parts of sorted disjoint intervals inside [start, stop).</summary>
    public static List<TimeInterval> Clip(IEnumerable<TimeInterval> intervals, double start, double stop) =>
        intervals.Select(i => new TimeInterval(Math.Max(i.Start, start), Math.Min(i.Stop, stop))).Where(i => i.Stop > i.Start).ToList();

    /// <summary>Total length of sorted disjoint intervals within [start, stop).</summary>
    public static double TimeWithin(IEnumerable<TimeInterval> intervals, double start, double stop) =>
        Clip(intervals, start, stop).Sum(i => i.Length);

    /// <summary>The median of the positive steps between consecutive times (0 for fewer than two).</summary>
    public static double MedianStep(ReadOnlySpan<double> times)
    {
        if (times.Length < 2) return 0;
        var steps = new double[times.Length - 1];
        for (int i = 1; i < times.Length; i++) steps[i - 1] = times[i] - times[i - 1];
        Array.Sort(steps);
        int m = steps.Length / 2;
        return steps.Length % 2 == 1 ? steps[m] : (steps[m - 1] + steps[m]) / 2;
    }
}
