using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EphysPipeline.Cli.Bench;

/// <summary>The bench result: our stage timings from session.json, the child's totals, the peers' stages.</summary>
public sealed class BenchReport(BenchProfile profile, int jobs, double generateSeconds, ChildMeasurement ours,
    IReadOnlyDictionary<string, double> stages, PeerResult? peers, IReadOnlyList<OutputTable> outputs)
{
    /// <summary>Runner steps in pipeline order (session.json timings_s keys).</summary>
    internal static readonly string[] Steps = ["open", "preprocess", "spikes", "read", "spectral", "multitaper", "spectrogram", "entropy", "phase"];

    public object ToJson() => new
    {
        profile = profile.Name,
        channels = profile.Channels,
        minutes = profile.Minutes,
        rate_hz = profile.Rate,
        jobs,
        processors = Environment.ProcessorCount,
        generate_s = generateSeconds,
        ours = new
        {
            wall_s = ours.WallSeconds,
            cpu_s = ours.CpuSeconds,
            peak_bytes = ours.PeakBytes,
            channel_hours_per_s = profile.ChannelHours / ours.WallSeconds,
            read_mb_per_s = ReadMegabytesPerSecond(),
            stages_wall_s = stages,
            failures = ours.Failures,
            failure = ours.Failure,
        },
        outputs = outputs.Select(t => new
        {
            table = t.Name, rows = t.Rows, csv_bytes = t.CsvBytes, csv_session_write_s = t.CsvSessionSeconds, csv_study_copy_s = t.CsvMergeSeconds,
            parquet_bytes = t.ParquetBytes, parquet_write_s = t.ParquetSeconds,
        }),
        peers = peers is null ? null : new
        {
            skipped = peers.Skipped,
            wall_s = peers.WallSeconds,
            stages = peers.Stages.Select(s => new { name = s.Name, maps = s.Maps, seconds = s.Seconds, note = s.Note }),
            ratio_by_stage = Steps.Where(s => PeerSeconds(s) is not null && stages.ContainsKey(s))
                .ToDictionary(s => s, s => PeerSeconds(s)!.Value / stages[s]),
        },
    };

    /// <summary>Raw int16 MB decompressed per second of the read step (whole recording read once per pass).</summary>
    // Blocks are read while the previous one is analysed: the rate is over the reading itself, not the wait for it.
    private double? ReadMegabytesPerSecond() =>
        (stages.TryGetValue("read (prefetched)", out var read) || stages.TryGetValue("read", out read)) && read > 0 ? profile.RawBytes / 1e6 / read : null;

    private double? PeerSeconds(string step)
    {
        if (peers is null || peers.Stages.Count == 0) return null;
        var matching = peers.Stages.Where(s => s.Maps == step).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Seconds);
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"## ephys bench — {profile.Name}: {profile.Channels} ch × {profile.Minutes:0.#} min × {profile.Rate:0.#} Hz int16, --jobs {jobs}, {Environment.ProcessorCount} CPUs");
        md.AppendLine();
        var read = ReadMegabytesPerSecond() is { } mb ? string.Create(inv, $", read {mb:F0} MB/s (raw int16)") : "";
        md.AppendLine(inv, $"Ours: wall {ours.WallSeconds:F2} s, CPU {ours.CpuSeconds:F2} s (process), peak working set {ours.PeakBytes / 1048576.0:F0} MiB, {profile.ChannelHours / ours.WallSeconds:F3} channel-hours/s{read}.");
        if (ours.Failure is not null) md.AppendLine(inv, $"**The analysis failed**: {ours.Failure}");
        md.AppendLine();
        md.AppendLine("| stage | ours wall (s) | peers (s) | peers / ours |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var step in Steps)
        {
            var mine = stages.TryGetValue(step, out var s) ? s.ToString("F2", inv) : "–";
            var peer = PeerSeconds(step);
            var ratio = peer is { } p && stages.TryGetValue(step, out var m) && m > 0 ? (p / m).ToString("F1", inv) + "×" : "–";
            md.AppendLine(inv, $"| {step} | {mine} | {(peer is { } q ? q.ToString("F2", inv) : "–")} | {ratio} |");
        }
        // What the steps leave out: writing the session's tables and spectra.h5, and the study merge.
        double rest = ours.WallSeconds - Steps.Sum(step => stages.GetValueOrDefault(step));
        if (stages.Count > 0) md.AppendLine(inv, $"| writing outputs | {rest:F2} | – | – |");
        var peerTotal = peers is { Stages.Count: > 0 } ? peers.Stages.Sum(x => x.Seconds) : (double?)null;
        md.AppendLine(inv, $"| **total** | {ours.WallSeconds:F2} | {(peerTotal is { } t ? t.ToString("F2", inv) : "–")} | {(peerTotal is { } u ? (u / ours.WallSeconds).ToString("F1", inv) + "×" : "–")} |");
        md.AppendLine();
        if (outputs.Count > 0)
        {
            md.AppendLine("Outputs (the study tables; writing them is part of \"writing outputs\" above):");
            md.AppendLine();
            md.Append(OutputSizes.Markdown(outputs));
            md.AppendLine();
        }
        if (peers is null) md.AppendLine(profile.Probes is null ? "Peers: not run (--no-peers)." : "Peers: none (the peer script reads one series of one file).");
        else if (peers.Skipped is not null) md.AppendLine(inv, $"Peers: skipped — {peers.Skipped}.");
        else
        {
            md.AppendLine(inv, $"Peer stages (Python, one process, wall {peers.WallSeconds:F1} s including extrapolated parts' sampling):");
            md.AppendLine();
            md.AppendLine("| peer stage | counts toward | seconds | how |");
            md.AppendLine("|---|---|---:|---|");
            foreach (var p in peers.Stages) md.AppendLine(inv, $"| {p.Name} | {p.Maps} | {p.Seconds:F2} | {p.Note} |");
        }
        return md.ToString();
    }

    public static IReadOnlyDictionary<string, double> ReadStages(string sessionJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(sessionJson));
        var result = new Dictionary<string, double>();
        if (doc.RootElement.TryGetProperty("timings_s", out var timings) && timings.ValueKind == JsonValueKind.Object)
            foreach (var p in timings.EnumerateObject()) result[p.Name] = p.Value.GetDouble();
        return result;
    }
}
