using System.Globalization;
using System.Text;

namespace EphysPipeline.Cli.Bench;

/// <summary>One thread count's run in `ephys bench --scaling`.</summary>
public sealed record ScalingPoint(int Threads, ChildMeasurement Measurement, IReadOnlyDictionary<string, double> Stages);

/// <summary>
/// `ephys bench --scaling`: the profile at 1, 2, 4, … threads up to the CPU count. Speed-up and parallel efficiency
/// are against the one-thread run; each stage's row shows its wall time per thread count and its speed-up, so a stage
/// that does not scale (a serial share) stands out.
/// </summary>
public sealed class ScalingReport(BenchProfile profile, IReadOnlyList<ScalingPoint> points)
{
    /// <summary>1, 2, 4, … below <paramref name="processors"/>, then <paramref name="processors"/> itself.</summary>
    public static IReadOnlyList<int> ThreadCounts(int processors)
    {
        var counts = new List<int>();
        for (int t = 1; t < processors; t *= 2) counts.Add(t);
        counts.Add(Math.Max(1, processors));
        return counts;
    }

    public object ToJson() => new
    {
        profile = profile.Name,
        processors = Environment.ProcessorCount,
        runs = points.Select(p => new
        {
            threads = p.Threads,
            wall_s = p.Measurement.WallSeconds,
            cpu_s = p.Measurement.CpuSeconds,
            peak_bytes = p.Measurement.PeakBytes,
            speedup = SpeedUp(p),
            efficiency = SpeedUp(p) / p.Threads,
            stages_wall_s = p.Stages,
            failures = p.Measurement.Failures,
        }),
    };

    private double SpeedUp(ScalingPoint p) => points[0].Measurement.WallSeconds / p.Measurement.WallSeconds;

    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"## ephys bench --scaling — {profile.Name}: {profile.Channels} ch × {profile.Minutes:0.#} min × {profile.Rate:0.#} Hz, {Environment.ProcessorCount} CPUs");
        md.AppendLine();
        md.AppendLine("| threads | wall (s) | CPU (s) | speed-up | efficiency | peak memory (MiB) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var p in points)
        {
            var m = p.Measurement;
            md.AppendLine(inv, $"| {p.Threads} | {m.WallSeconds:F2} | {m.CpuSeconds:F2} | {SpeedUp(p):F2}× | {100 * SpeedUp(p) / p.Threads:F0} % | {(m.PeakBytes < 0 ? "–" : (m.PeakBytes / 1048576.0).ToString("F0", inv))} |");
        }
        md.AppendLine();
        var seen = points.SelectMany(p => p.Stages.Keys).ToHashSet();
        var stages = BenchReport.Steps.Where(seen.Contains).Concat(seen.Except(BenchReport.Steps).Order()).ToList();
        md.Append("| stage |");
        foreach (var p in points) md.Append(inv, $" {p.Threads} thr (s) |");
        md.AppendLine(" speed-up at the most threads | share of the wall time at the most threads |");
        md.Append("|---|");
        foreach (var _ in points) md.Append("---:|");
        md.AppendLine("---:|---:|");
        var last = points[^1];
        foreach (var stage in stages)
        {
            md.Append(inv, $"| {stage} |");
            foreach (var p in points) md.Append(' ').Append(p.Stages.TryGetValue(stage, out var s) ? s.ToString("F2", inv) : "–").Append(" |");
            bool both = points[0].Stages.TryGetValue(stage, out var one) && last.Stages.TryGetValue(stage, out var many) && many > 0;
            md.Append(' ').Append(both ? (one / last.Stages[stage]).ToString("F2", inv) + "×" : "–").Append(" |");
            md.Append(' ').AppendLine(last.Stages.TryGetValue(stage, out var at) ? (100 * at / last.Measurement.WallSeconds).ToString("F0", inv) + " % |" : "– |");
        }
        if (points.Any(p => p.Measurement.Failures > 0))
            md.AppendLine().AppendLine(inv, $"Failures: {string.Join("; ", points.Where(p => p.Measurement.Failure is not null).Select(p => $"{p.Threads} threads: {p.Measurement.Failure}"))}");
        return md.ToString();
    }
}
