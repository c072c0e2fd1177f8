using static EphysPipeline.Study.Outputs.CsvFormat;

namespace EphysPipeline.Study.Outputs;

/// <summary>The tidy output tables (schema 1, docs/outputs.md): headers and row formatting in one place.</summary>
public static class Tables
{
    public const string Metrics = "metrics.csv";
    public const string Pairs = "pairs.csv";
    public const string Units = "units.csv";
    public const string Sessions = "sessions.csv";

    public static readonly string[] MetricsHeader =
        ["session", "subject", "drug", "dose_mg_kg", "epoch", "channel", "region", "metric", "band", "value", "n_windows", "status"];

    public static readonly string[] PairsHeader =
        ["session", "subject", "drug", "epoch", "band", "measure", "channel_a", "channel_b", "region_a", "region_b", "value"];

    public static readonly string[] UnitsHeader =
        ["session", "subject", "drug", "epoch", "unit", "channel", "region", "band", "n_spikes", "firing_rate_hz",
         "plv", "ppc", "rayleigh_z", "rayleigh_p", "preferred_phase_rad", "status"];

    public static readonly string[] SessionsHeader =
        ["session", "subject", "drug", "dose_mg_kg", "status", "stage", "reason", "duration_s", "sample_rate_hz",
         "channels", "good_channels", "bad_channels", "epoch", "epoch_start_s", "epoch_end_s", "rejected_fraction"];

    public static string Format(SessionKey key, IEnumerable<MetricRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, IEnumerable<PairRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, IEnumerable<UnitRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, SessionSummary summary, bool header = true) => Render(w => Write(w, key, summary, header));

    public static void Write(TextWriter sb, SessionKey key, IEnumerable<MetricRow> rows, bool header = true)
    {
        Start(sb, header, MetricsHeader);
        foreach (var r in rows)
            WriteRow(sb, [Text(key.Session), Text(key.Subject), Text(key.Drug), Number(key.DoseMgKg), Text(r.Epoch), Number(r.Channel),
                Text(r.Region), Text(r.Metric), Text(r.Band), Number(r.Value), Number(r.Windows), Text(r.Status)]);
    }

    public static void Write(TextWriter sb, SessionKey key, IEnumerable<PairRow> rows, bool header = true)
    {
        Start(sb, header, PairsHeader);
        // Millions of rows on high-density probes: cells go straight to the writer, no per-row strings.
        string prefix = $"{Text(key.Session)},{Text(key.Subject)},{Text(key.Drug)},";
        foreach (var r in rows)
        {
            sb.Write(prefix);
            sb.Write(Text(r.Epoch)); sb.Write(',');
            sb.Write(Text(r.Band)); sb.Write(',');
            sb.Write(Text(r.Measure)); sb.Write(',');
            WriteNumber(sb, r.ChannelA); sb.Write(',');
            WriteNumber(sb, r.ChannelB); sb.Write(',');
            sb.Write(Text(r.RegionA)); sb.Write(',');
            sb.Write(Text(r.RegionB)); sb.Write(',');
            WriteNumber(sb, r.Value);
            sb.Write('\n');
        }
    }

    public static void Write(TextWriter sb, SessionKey key, IEnumerable<UnitRow> rows, bool header = true)
    {
        Start(sb, header, UnitsHeader);
        foreach (var r in rows)
            WriteRow(sb, [Text(key.Session), Text(key.Subject), Text(key.Drug), Text(r.Epoch), Number(r.Unit), Number(r.Channel),
                Text(r.Region), Text(r.Band), Number(r.Spikes), Number(r.FiringRateHz), Number(r.Plv), Number(r.Ppc),
                Number(r.RayleighZ), Number(r.RayleighP), Number(r.PreferredPhaseRad), Text(r.Status)]);
    }

    /// <summary>sessions.csv lines of one session: one per epoch (or one with an empty epoch when it failed early).</summary>
    public static void Write(TextWriter sb, SessionKey key, SessionSummary s, bool header = true)
    {
        Start(sb, header, SessionsHeader);
        var bad = string.Join(";", s.BadChannels.Select(Number));
        var epochs = s.Epochs.Count > 0 ? s.Epochs.Cast<EpochSummary?>().ToList() : new List<EpochSummary?> { null };
        foreach (var e in epochs)
            WriteRow(sb, [Text(key.Session), Text(key.Subject), Text(key.Drug), Number(key.DoseMgKg), Text(s.Status), Text(s.Stage),
                Text(s.Reason), Number(s.DurationS), Number(s.SampleRateHz), Number(s.Channels), Number(s.GoodChannels), Text(bad),
                Text(e?.Epoch), e is null ? "" : Number(e.StartS), e is null ? "" : Number(e.EndS),
                e is null ? "" : Number(e.RejectedFraction)]);
    }

    public static string HeaderLine(string[] header) => string.Join(',', header) + "\n";

    private static void Start(TextWriter writer, bool header, string[] columns)
    {
        if (header) writer.Write(HeaderLine(columns));
    }

    private static string Render(Action<TextWriter> write)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }
}
