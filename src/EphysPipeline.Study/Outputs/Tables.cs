namespace EphysPipeline.Study.Outputs;

/// <summary>The tidy output tables (schema 1, docs/outputs.md): headers and row formatting in one place.</summary>
public static class Tables
{
    public const string Metrics = "metrics.csv";
    public const string Pairs = "pairs.csv";
    public const string Units = "units.csv";
    public const string Sessions = "sessions.csv";

    public static readonly string[] MetricsHeader =
        ["session", "subject", "drug", "dose_mg_kg", "epoch", "state", "channel", "region", "metric", "band", "value", "n_windows", "status"];

    public static readonly string[] PairsHeader =
        ["session", "subject", "drug", "epoch", "state", "band", "measure", "channel_a", "channel_b", "region_a", "region_b", "value"];

    public static readonly string[] UnitsHeader =
        ["session", "subject", "drug", "epoch", "state", "unit", "channel", "region", "band", "n_spikes", "firing_rate_hz",
         "plv", "ppc", "rayleigh_z", "rayleigh_p", "preferred_phase_rad", "status"];

    public static readonly string[] SessionsHeader =
        ["session", "subject", "drug", "dose_mg_kg", "status", "stage", "reason", "duration_s", "sample_rate_hz",
         "channels", "good_channels", "bad_channels", "epoch", "epoch_start_s", "epoch_end_s", "rejected_fraction"];

    /// <summary>The header of a study with sessions of several probes: a probe column before each channel column.</summary>
    public static string[] MetricsHeaderFor(bool probes) => probes ? WithProbes(MetricsHeader) : MetricsHeader;

    public static string[] PairsHeaderFor(bool probes) => probes ? WithProbes(PairsHeader) : PairsHeader;

    public static string[] UnitsHeaderFor(bool probes) => probes ? WithProbes(UnitsHeader) : UnitsHeader;

    private static string[] WithProbes(string[] header) =>
        header.SelectMany(h => h.StartsWith("channel", StringComparison.Ordinal) ? ["probe" + h["channel".Length..], h] : new[] { h }).ToArray();

    /// <summary>The probe cell of a channel: its probe in a session of several, empty in a one-series session.</summary>
    private static void Probe(CsvRowWriter row, SessionKey key, long channel)
    {
        if (key.ProbeColumns) row.Text(key.ProbeOf is { } map && map.TryGetValue(channel, out var probe) ? probe : null);
    }

    /// <summary>sessions.csv's header for a study with these states: a time_&lt;state&gt;_s column for each.</summary>
    public static string[] SessionsHeaderFor(IReadOnlyList<string> states) => [.. SessionsHeader, .. states.Select(StateNames.TimeColumn)];

    public static string Format(SessionKey key, IEnumerable<MetricRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, IEnumerable<PairRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, IEnumerable<UnitRow> rows, bool header = true) => Render(w => Write(w, key, rows, header));

    public static string Format(SessionKey key, SessionSummary summary, bool header = true) => Render(w => Write(w, key, summary, header));

    public static void Write(TextWriter writer, SessionKey key, IEnumerable<MetricRow> rows, bool header = true)
    {
        Start(writer, header, MetricsHeaderFor(key.ProbeColumns));
        using var row = new CsvRowWriter(writer);
        foreach (var r in rows)
        {
            row.Text(key.Session); row.Text(key.Subject); row.Text(key.Drug); row.Number(key.DoseMgKg); row.Text(r.Epoch);
            row.Text(r.State); Probe(row, key, r.Channel); row.Number(r.Channel); row.Text(r.Region); row.Text(r.Metric); row.Text(r.Band); row.Number(r.Value);
            row.Number(r.Windows); row.Text(r.Status);
            row.End();
        }
    }

    public static void Write(TextWriter writer, SessionKey key, IEnumerable<PairRow> rows, bool header = true)
    {
        Start(writer, header, PairsHeaderFor(key.ProbeColumns));
        using var row = new CsvRowWriter(writer);
        foreach (var r in rows)
        {
            row.Text(key.Session); row.Text(key.Subject); row.Text(key.Drug); row.Text(r.Epoch); row.Text(r.State); row.Text(r.Band);
            row.Text(r.Measure); Probe(row, key, r.ChannelA); row.Number(r.ChannelA); Probe(row, key, r.ChannelB); row.Number(r.ChannelB);
            row.Text(r.RegionA); row.Text(r.RegionB);
            row.Number(r.Value);
            row.End();
        }
    }

    public static void Write(TextWriter writer, SessionKey key, IEnumerable<UnitRow> rows, bool header = true)
    {
        Start(writer, header, UnitsHeaderFor(key.ProbeColumns));
        using var row = new CsvRowWriter(writer);
        foreach (var r in rows)
        {
            row.Text(key.Session); row.Text(key.Subject); row.Text(key.Drug); row.Text(r.Epoch); row.Text(r.State); row.Number(r.Unit);
            Probe(row, key, r.Channel); row.Number(r.Channel); row.Text(r.Region); row.Text(r.Band); row.Number(r.Spikes); row.Number(r.FiringRateHz);
            row.Number(r.Plv); row.Number(r.Ppc); row.Number(r.RayleighZ); row.Number(r.RayleighP);
            row.Number(r.PreferredPhaseRad); row.Text(r.Status);
            row.End();
        }
    }

    /// <summary>sessions.csv lines of one session: one per epoch (or one with an empty epoch when it failed early).</summary>
    public static void Write(TextWriter writer, SessionKey key, SessionSummary s, bool header = true)
    {
        Start(writer, header, SessionsHeaderFor(s.States));
        var bad = string.Join(";", s.BadChannels.Select(CsvFormat.Number));
        var epochs = s.Epochs.Count > 0 ? s.Epochs.Cast<EpochSummary?>().ToList() : new List<EpochSummary?> { null };
        using var row = new CsvRowWriter(writer);
        foreach (var e in epochs)
        {
            row.Text(key.Session); row.Text(key.Subject); row.Text(key.Drug); row.Number(key.DoseMgKg); row.Text(s.Status);
            row.Text(s.Stage); row.Text(s.Reason); row.Number(s.DurationS); row.Number(s.SampleRateHz); row.Number(s.Channels);
            row.Number(s.GoodChannels); row.Text(bad); row.Text(e?.Epoch);
            if (e is null)
            {
                row.Text(null); row.Text(null); row.Text(null);
                foreach (var _ in s.States) row.Text(null);
            }
            else
            {
                row.Number(e.StartS); row.Number(e.EndS); row.Number(e.RejectedFraction);
                foreach (var state in s.States) row.Number(e.StateSeconds.TryGetValue(state, out var t) ? t : double.NaN);
            }
            row.End();
        }
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
