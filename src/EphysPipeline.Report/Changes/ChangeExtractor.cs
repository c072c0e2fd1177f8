using EphysPipeline.Report.Inputs;

namespace EphysPipeline.Report.Changes;

/// <summary>
/// Turns metrics.csv, pairs.csv and units.csv into changes from the reference epoch (docs/report.md "Changes"):
/// band power in dB = 10·log10(epoch / reference), firing rate also as ln(epoch / reference), everything else as
/// epoch − reference.
/// </summary>
public static class ChangeExtractor
{
    /// <summary>Quality-of-fit and per-peak rows are not outcomes (peak k of one epoch is not peak k of another); band_power_db would repeat band_power.</summary>
    public static bool IsOutcome(string metric) =>
        metric is not ("band_power_db" or "aperiodic_r2" or "aperiodic_error" or "aperiodic_n_peaks")
        && !metric.StartsWith("peak_", StringComparison.Ordinal);

    public static bool IsPower(string metric) => metric == "band_power";

    public static double Change(double epoch, double reference, string unit) => unit switch
    {
        "dB" => 10.0 * Math.Log10(epoch / reference),
        "ln ratio" => Math.Log(epoch / reference),
        _ => epoch - reference,
    };

    /// <summary>The state of each row: the table's state column, or "all" for tables written before states existed.</summary>
    private static Func<string[], string> StateOf(CsvTable table, string file)
    {
        if (!table.Has("state")) return _ => Study.Outputs.StateNames.All;
        int column = table.Column("state", file);
        return r => r[column];
    }

    public static void FromMetrics(CsvTable table, string file, string referenceEpoch, SubjectChanges into)
    {
        var state = StateOf(table, file);
        int session = table.Column("session", file), subject = table.Column("subject", file), drug = table.Column("drug", file),
            epoch = table.Column("epoch", file), channel = table.Column("channel", file), region = table.Column("region", file),
            metric = table.Column("metric", file), band = table.Column("band", file), value = table.Column("value", file);
        var reference = new Dictionary<(string, string, string, string, string), double>();
        foreach (var r in table.Rows)
            if (r[epoch] == referenceEpoch && IsOutcome(r[metric]))
                reference[(r[session], state(r), r[channel], r[metric], r[band])] = CsvTable.Number(r[value]);
        foreach (var r in table.Rows)
        {
            if (r[epoch] == referenceEpoch || !IsOutcome(r[metric])) continue;
            string unit = IsPower(r[metric]) ? "dB" : "difference";
            double refValue = reference.GetValueOrDefault((r[session], state(r), r[channel], r[metric], r[band]), double.NaN);
            var key = new GroupKey(r[drug], r[epoch], new Outcome("metrics", r[metric], r[band], r[region], unit) { State = state(r) });
            into.Add(r[session], r[subject], key, Change(CsvTable.Number(r[value]), refValue, unit));
        }
    }

    /// <summary>Pair measures per region pair (regions in ordinal order, e.g. "HPC-PFC"), averaged over the pairs.</summary>
    public static void FromPairs(CsvTable table, string file, string referenceEpoch, SubjectChanges into)
    {
        var state = StateOf(table, file);
        int session = table.Column("session", file), subject = table.Column("subject", file), drug = table.Column("drug", file),
            epoch = table.Column("epoch", file), band = table.Column("band", file), measure = table.Column("measure", file),
            a = table.Column("channel_a", file), b = table.Column("channel_b", file),
            ra = table.Column("region_a", file), rb = table.Column("region_b", file), value = table.Column("value", file);
        var reference = new Dictionary<(string, string, string, string, string, string), double>();
        foreach (var r in table.Rows)
            if (r[epoch] == referenceEpoch)
                reference[(r[session], state(r), r[measure], r[band], r[a], r[b])] = CsvTable.Number(r[value]);
        foreach (var r in table.Rows)
        {
            if (r[epoch] == referenceEpoch) continue;
            double refValue = reference.GetValueOrDefault((r[session], state(r), r[measure], r[band], r[a], r[b]), double.NaN);
            var key = new GroupKey(r[drug], r[epoch], new Outcome("pairs", r[measure], r[band], RegionPair(r[ra], r[rb]), "difference") { State = state(r) });
            into.Add(r[session], r[subject], key, CsvTable.Number(r[value]) - refValue);
        }
    }

    public static string RegionPair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? $"{a}-{b}" : $"{b}-{a}";

    /// <summary>Per unit: PPC and PLV per band (difference) and the firing rate (difference and ln ratio, once per unit).</summary>
    public static void FromUnits(CsvTable table, string file, string referenceEpoch, SubjectChanges into)
    {
        var state = StateOf(table, file);
        int session = table.Column("session", file), subject = table.Column("subject", file), drug = table.Column("drug", file),
            epoch = table.Column("epoch", file), unit = table.Column("unit", file), region = table.Column("region", file),
            band = table.Column("band", file), rate = table.Column("firing_rate_hz", file),
            plv = table.Column("plv", file), ppc = table.Column("ppc", file);
        var reference = new Dictionary<(string, string, string, string), string[]>();
        foreach (var r in table.Rows)
            if (r[epoch] == referenceEpoch) reference[(r[session], state(r), r[unit], r[band])] = r;
        var rateDone = new HashSet<(string, string, string, string)>();
        foreach (var r in table.Rows)
        {
            if (r[epoch] == referenceEpoch) continue;
            string s = state(r);
            reference.TryGetValue((r[session], s, r[unit], r[band]), out var refRow);
            double Ref(int column) => refRow is null ? double.NaN : CsvTable.Number(refRow[column]);
            foreach (var (name, column) in new[] { ("ppc", ppc), ("plv", plv) })
            {
                var key = new GroupKey(r[drug], r[epoch], new Outcome("units", name, r[band], r[region], "difference") { State = s });
                into.Add(r[session], r[subject], key, CsvTable.Number(r[column]) - Ref(column));
            }
            if (!rateDone.Add((r[session], s, r[epoch], r[unit]))) continue;
            double now = CsvTable.Number(r[rate]), before = Ref(rate);
            into.Add(r[session], r[subject], new GroupKey(r[drug], r[epoch], new Outcome("units", "firing_rate_hz", "", r[region], "difference") { State = s }), now - before);
            into.Add(r[session], r[subject], new GroupKey(r[drug], r[epoch], new Outcome("units", "firing_rate_log_ratio", "", r[region], "ln ratio") { State = s }), Change(now, before, "ln ratio"));
        }
    }

    /// <summary>The outcome of time in a state: the share of the epoch spent in it, in percent.</summary>
    public const string TimeInStateMetric = "time_in_state_pct";

    /// <summary>
    /// Time in each state (sessions.csv's time_&lt;state&gt;_s over the epoch's length, in %) as an outcome of its own:
    /// change from the reference epoch in percentage points, region "session". Failed sessions have no epoch rows.
    /// <paramref name="levels"/>, when given, gets the percentages themselves (every epoch, the reference included).
    /// </summary>
    public static void FromSessions(CsvTable table, string file, string referenceEpoch, SubjectChanges into, SubjectChanges? levels = null)
    {
        var columns = table.Header.Select((name, i) => (name, i))
            .Where(c => c.name.StartsWith("time_", StringComparison.Ordinal) && c.name.EndsWith("_s", StringComparison.Ordinal) && c.name.Length > 7)
            .Select(c => (State: c.name[5..^2], Column: c.i)).ToList();
        if (columns.Count == 0) return;
        int session = table.Column("session", file), subject = table.Column("subject", file), drug = table.Column("drug", file),
            epoch = table.Column("epoch", file), start = table.Column("epoch_start_s", file), end = table.Column("epoch_end_s", file);
        double Percent(string[] r, int column) => 100.0 * CsvTable.Number(r[column]) / (CsvTable.Number(r[end]) - CsvTable.Number(r[start]));
        var reference = new Dictionary<(string, string), double>();
        foreach (var r in table.Rows)
            if (r[epoch] == referenceEpoch)
                foreach (var (state, column) in columns) reference[(r[session], state)] = Percent(r, column);
        foreach (var r in table.Rows)
        {
            if (r[epoch].Length == 0) continue;
            if (levels is not null)
                foreach (var (state, column) in columns)
                    levels.Add(r[session], r[subject], new GroupKey(r[drug], r[epoch],
                        new Outcome("sessions", TimeInStateMetric, "", "session", "%") { State = state }), Percent(r, column));
            if (r[epoch] == referenceEpoch) continue;
            foreach (var (state, column) in columns)
            {
                var key = new GroupKey(r[drug], r[epoch], new Outcome("sessions", TimeInStateMetric, "", "session", "percentage points") { State = state });
                into.Add(r[session], r[subject], key, Percent(r, column) - reference.GetValueOrDefault((r[session], state), double.NaN));
            }
        }
    }
}
