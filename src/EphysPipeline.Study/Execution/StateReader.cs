using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.Preprocessing.States;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Reads a state's intervals from an NWB file: rows of an interval table (by tag or column value), or a behavioural
/// series (speed from position, smoothing, threshold with hysteresis, minimum bout). A source the file does not have
/// is a per-session problem naming the state, never an empty state.
/// </summary>
internal static class StateReader
{
    public static StateSource Read(NwbFile nwb, IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> tables, StateDefinition state)
    {
        try
        {
            return state.Kind switch
            {
                StateSourceKind.Intervals => new StateSource(state, FromTable(nwb, tables, state), null),
                StateSourceKind.Series => new StateSource(state, FromSeries(nwb.FileName, nwb.ReadTimeSeries(state.Series!), state), null),
                _ => new StateSource(state, null, null),
            };
        }
        catch (EphysInputException e)
        {
            return new StateSource(state, null, e.Dataset is null ? e.Problem : $"{e.Dataset}: {e.Problem}");
        }
    }

    private static List<TimeInterval> FromTable(NwbFile nwb, IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> tables, StateDefinition state)
    {
        if (!tables.TryGetValue(state.Table!, out var rows))
            throw new EphysInputException(nwb.FileName, "/intervals/" + state.Table,
                $"no such interval table (have {(tables.Count == 0 ? "none" : string.Join(", ", tables.Keys))})");
        IEnumerable<int> selected = Enumerable.Range(0, rows.Count);
        if (state.Tag is { } tag) selected = selected.Where(i => rows[i].Tags.Contains(tag));
        else if (state.Column is { } column)
        {
            var values = nwb.ReadIntervalColumn(state.Table!, column);
            selected = selected.Where(i => i < values.Length && Matches(values[i], state.Value!));
        }
        var chosen = selected.Select(i => rows[i]).ToList();
        if (chosen.Count == 0)
            throw new EphysInputException(nwb.FileName, "/intervals/" + state.Table, $"no row matches ({state.Describe()})");
        // Event-locked windows start at each row's start_time (a zero-length row is an event); overlapping windows merge.
        if (state.AroundS is { } around)
        {
            foreach (var r in chosen.Where(r => !double.IsFinite(r.Start)))
                throw new EphysInputException(nwb.FileName, "/intervals/" + state.Table, $"event time {r.Start} is not finite");
            return StateDetection.MinimumBouts(StateDetection.Union(chosen.Select(r => new TimeInterval(r.Start + around[0], r.Start + around[1]))), state.MinBoutS);
        }
        foreach (var r in chosen)
            if (!(r.Stop > r.Start) || !double.IsFinite(r.Start) || !double.IsFinite(r.Stop))
                throw new EphysInputException(nwb.FileName, "/intervals/" + state.Table, $"row [{r.Start}, {r.Stop}) is not an interval");
        return StateDetection.MinimumBouts(StateDetection.Union(chosen.Select(r => new TimeInterval(r.Start, r.Stop))), state.MinBoutS);
    }

    // Text compares as written; numbers compare as numbers, so "2" matches a stored 2.0.
    private static bool Matches(string stored, string wanted) =>
        stored == wanted || double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b;

    /// <summary>A series' samples into state intervals (file clock).</summary>
    public static List<TimeInterval> FromSeries(string file, NwbTimeSeries series, StateDefinition state)
    {
        bool speed = state.Quantity == "speed" || (state.Quantity is null && (series.Width > 1 || series.Type == "SpatialSeries"));
        double[] values;
        if (speed) values = StateDetection.Speed(series.Times, series.Values, series.Width);
        else if (series.Width == 1) values = series.Values;
        else throw new EphysInputException(file, series.Path + "/data", $"{series.Width} columns: use quantity: speed, or a one-column series");
        if (values.Length < 2) throw new EphysInputException(file, series.Path + "/data", "fewer than two samples");
        values = StateDetection.MovingAverage(series.Times, values, state.SmoothS);
        var bouts = StateDetection.MinimumBouts(StateDetection.Threshold(series.Times, values, state.Above, state.Below, state.Hysteresis), state.MinBoutS);
        return bouts;
    }
}
