using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// A non-electrical NWB series (TimeSeries, SpatialSeries, or any neurodata_type whose group has a <c>data</c> dataset and
/// <c>timestamps</c> or <c>starting_time</c>), e.g. /processing/behavior/running_speed or /processing/behavior/Position/position.
/// </summary>
/// <param name="Path">Absolute path of the series group.</param>
/// <param name="Name">Last path component.</param>
/// <param name="Type">Its neurodata_type.</param>
/// <param name="Unit">The data's unit attribute ("" when absent).</param>
/// <param name="Samples">Rows of data.</param>
/// <param name="Width">Columns of data (1 for a vector; 2 for x, y positions).</param>
/// <param name="Rate">Sampling rate in Hz for a series with starting_time; null for one with timestamps.</param>
/// <param name="StartS">Time of the first sample, s on the file clock.</param>
/// <param name="EndS">Time of the last sample, s on the file clock.</param>
public sealed record NwbBehaviouralSeries(string Path, string Name, string Type, string Unit, long Samples, int Width, double? Rate, double StartS, double EndS);

/// <summary>
/// Samples of one series: <see cref="Times"/> in s on the file clock (one per sample), <see cref="Values"/> row-major
/// samples × <see cref="Width"/> with <c>conversion</c> (and <c>offset</c> if present) applied; NaN values are kept.
/// </summary>
public sealed record NwbTimeSeries(string Path, string Name, string Type, string Unit, double[] Times, double[] Values, int Width);

/// <summary>An /intervals table with start_time and stop_time; <see cref="Columns"/> are its other value columns.</summary>
public sealed record NwbIntervalTable(string Name, string Path, int Rows, IReadOnlyList<string> Columns, bool HasTags);

public sealed partial class NwbFile
{
    // Series types that are recordings (ElectricalSeries and its subtype), or that hold text or images rather than a
    // signal a state could be thresholded on; image stacks are rank 3 and annotations are text by the NWB schema.
    private static readonly HashSet<string> NotBehavioural = new(StringComparer.Ordinal)
    {
        "ElectricalSeries", "SpikeEventSeries", "AnnotationSeries",
        "ImageSeries", "ImageMaskSeries", "OpticalSeries", "TwoPhotonSeries", "OnePhotonSeries", "IndexSeries",
    };

    private static readonly HashSet<string> IntervalBaseColumns = new(StringComparer.Ordinal) { "start_time", "stop_time", "tags", "id" };

    private readonly List<(string Path, string Name, string Type)> behaviouralCandidates = [];
    private readonly Lazy<BehaviourListing> behaviouralSeries;

    private sealed record BehaviourListing(IReadOnlyList<NwbBehaviouralSeries> Series);

    private sealed record SeriesShape(string DataPath, long Samples, int Width, string Unit, double Conversion, double Offset);

    /// <summary>
    /// Every non-electrical series with data and timing (found in the same walk as <see cref="Series"/>), in name order of
    /// a depth-first walk. Described on first use, so a broken behavioural series does not stop the recording from being read;
    /// a broken one (bad rate, decreasing or NaN timestamps, length mismatch, rank &gt; 2, text data) is an
    /// <see cref="EphysInputException"/> here.
    /// </summary>
    public IReadOnlyList<NwbBehaviouralSeries> BehaviouralSeries => behaviouralSeries.Value.Series;

    /// <summary>
    /// Reads one behavioural series, by full path or last path component; missing or ambiguous names are an
    /// <see cref="EphysInputException"/> listing the series that exist.
    /// </summary>
    public NwbTimeSeries ReadTimeSeries(string pathOrName) => Hdf5Input.Guard(FileName, null, () =>
    {
        var summary = ResolveBehavioural(pathOrName);
        var shape = Hdf5Input.Guard(FileName, summary.Path + "/data", () => DescribeData(summary.Path));
        var times = Hdf5Input.Guard(FileName, summary.Path, () => SampleTimes(summary.Path, shape.Samples));
        var values = Doubles(shape.DataPath);
        for (var i = 0; i < values.Length; i++) values[i] = values[i] * shape.Conversion + shape.Offset;
        return new NwbTimeSeries(summary.Path, summary.Name, summary.Type, shape.Unit, times, values, shape.Width);
    });

    /// <summary>Every /intervals/* table with start_time and stop_time, in name order.</summary>
    public IReadOnlyList<NwbIntervalTable> IntervalTables() => Hdf5Input.Guard(FileName, null, () =>
    {
        var tables = new List<NwbIntervalTable>();
        if (file.KindOf("intervals") != Hdf5ObjectKind.Group) return tables;
        var members = Hdf5Input.Guard(FileName, "/intervals", () => { using var g = file.OpenGroup("intervals"); return g.Members(); });
        foreach (var member in members.Where(m => m.Kind == Hdf5ObjectKind.Group))
        {
            var path = "/intervals/" + member.Name;
            if (file.KindOf(path + "/start_time") != Hdf5ObjectKind.Dataset || file.KindOf(path + "/stop_time") != Hdf5ObjectKind.Dataset) continue;
            var rows = Hdf5Input.Guard(FileName, path + "/start_time", () => { using var d = file.OpenDataset(path + "/start_time"); return d.ElementCount; });
            tables.Add(new NwbIntervalTable(member.Name, path, (int)rows, Hdf5Input.Guard(FileName, path, () => IntervalColumns(path)),
                file.KindOf(path + "/tags") == Hdf5ObjectKind.Dataset));
        }
        return tables;
    });

    /// <summary>
    /// One text value per row of an interval table's column: strings as stored, numbers in invariant round-trip form,
    /// ragged (indexed) columns and 2-D columns joined with ';'. A missing table or column is an
    /// <see cref="EphysInputException"/> naming what exists.
    /// </summary>
    public string[] ReadIntervalColumn(string table, string column) => Hdf5Input.Guard(FileName, null, () =>
    {
        var tables = IntervalTables();
        var name = table.StartsWith("/intervals/", StringComparison.Ordinal) ? table["/intervals/".Length..] : table;
        var found = tables.FirstOrDefault(t => t.Name == name)
            ?? throw new EphysInputException(FileName, "/intervals/" + name,
                $"no such interval table (have {(tables.Count == 0 ? "none" : string.Join(", ", tables.Select(t => t.Name)))})");
        var readable = found.Columns.Concat(["start_time", "stop_time"]).Concat(found.HasTags ? ["tags"] : Array.Empty<string>()).ToList();
        if (!readable.Contains(column, StringComparer.Ordinal))
            throw new EphysInputException(FileName, found.Path + "/" + column,
                $"no such column (have {(found.Columns.Count == 0 ? "none besides start_time, stop_time" : string.Join(", ", found.Columns))}{(found.HasTags ? ", tags" : "")})");
        var path = found.Path + "/" + column;
        var cells = Hdf5Input.Guard(FileName, path, () => ColumnCells(path));
        var indexPath = path + "_index";
        if (file.KindOf(indexPath) == Hdf5ObjectKind.Dataset)
        {
            var ranges = Ragged(indexPath, cells.Length, column);
            if (ranges.Count != found.Rows)
                throw new EphysInputException(FileName, indexPath, $"{ranges.Count} index entries for {found.Rows} rows");
            return ranges.Select(r => string.Join(';', cells[(int)r.Start..(int)r.End])).ToArray();
        }
        if (cells.Length == found.Rows) return cells;
        if (found.Rows > 0 && cells.Length % found.Rows == 0)
        {
            var per = cells.Length / found.Rows;
            return Enumerable.Range(0, found.Rows).Select(r => string.Join(';', cells[(r * per)..((r + 1) * per)])).ToArray();
        }
        throw new EphysInputException(FileName, path, $"{cells.Length} values for {found.Rows} rows");
    });

    private static bool IsBehaviouralCandidate(Hdf5Group group, string? type) =>
        !string.IsNullOrEmpty(type) && !NotBehavioural.Contains(type)
        && group.KindOf("data") == Hdf5ObjectKind.Dataset
        && (group.KindOf("timestamps") == Hdf5ObjectKind.Dataset || group.KindOf("starting_time") == Hdf5ObjectKind.Dataset);

    private BehaviourListing DescribeBehaviouralCandidates() =>
        new(behaviouralCandidates.Select(c => Hdf5Input.Guard(FileName, c.Path, () => Summarise(c.Path, c.Name, c.Type))).ToList());

    private NwbBehaviouralSeries Summarise(string path, string name, string type)
    {
        var shape = DescribeData(path);
        var (rate, start, end) = BehaviouralTiming(path, shape.Samples);
        return new NwbBehaviouralSeries(path, name, type, shape.Unit, shape.Samples, shape.Width, rate, start, end);
    }

    private NwbBehaviouralSeries ResolveBehavioural(string pathOrName)
    {
        var all = BehaviouralSeries;
        var wanted = pathOrName.StartsWith('/') ? pathOrName : "/" + pathOrName;
        var matches = all.Where(s => s.Path == wanted || s.Name == pathOrName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EphysInputException(FileName, pathOrName,
                $"no such behavioural series (have {(all.Count == 0 ? "none" : string.Join(", ", all.Select(s => s.Path)))})"),
            _ => throw new EphysInputException(FileName, pathOrName, $"ambiguous: {string.Join(", ", matches.Select(s => s.Path))}; give the full path"),
        };
    }

    private SeriesShape DescribeData(string seriesPath)
    {
        var dataPath = seriesPath + "/data";
        using var data = file.OpenDataset(dataPath);
        var type = data.ElementType;
        if (!type.IsNumeric) throw new EphysInputException(FileName, dataPath, $"holds {type}, not numbers");
        var shape = data.Shape;
        if (shape.Length is not (1 or 2)) throw new EphysInputException(FileName, dataPath, $"rank {shape.Length}; (samples) or (samples, width) expected");
        if (shape[0] == 0 || (shape.Length == 2 && shape[1] == 0))
            throw new EphysInputException(FileName, dataPath, $"empty dataset (shape {string.Join(" × ", shape)})");
        var conversion = Hdf5Input.NumberAttribute(data, "conversion") ?? 1.0;
        var offset = Hdf5Input.NumberAttribute(data, "offset") ?? 0.0;
        if (!double.IsFinite(conversion) || conversion == 0 || !double.IsFinite(offset))
            throw new EphysInputException(FileName, dataPath, $"conversion {conversion} / offset {offset} cannot scale the data");
        return new SeriesShape(dataPath, shape[0], shape.Length == 1 ? 1 : (int)shape[1], Hdf5Input.StringAttribute(data, "unit") ?? "", conversion, offset);
    }

    private (double? Rate, double Start, double End) BehaviouralTiming(string seriesPath, long samples)
    {
        if (file.KindOf(seriesPath + "/starting_time") == Hdf5ObjectKind.Dataset)
        {
            var (rate, start) = StartAndRate(seriesPath);
            return (rate, start, start + (samples - 1) / rate);
        }
        var times = CheckedTimestamps(seriesPath, samples);
        return (null, times[0], times[^1]);
    }

    private double[] SampleTimes(string seriesPath, long samples)
    {
        if (file.KindOf(seriesPath + "/starting_time") != Hdf5ObjectKind.Dataset) return CheckedTimestamps(seriesPath, samples);
        var (rate, start) = StartAndRate(seriesPath);
        var times = new double[samples];
        for (long i = 0; i < samples; i++) times[i] = start + i / rate;
        return times;
    }

    private (double Rate, double Start) StartAndRate(string seriesPath)
    {
        var path = seriesPath + "/starting_time";
        using var dataset = file.OpenDataset(path);
        var rate = Hdf5Input.NumberAttribute(dataset, "rate");
        if (rate is not { } r || !(r > 0) || !double.IsFinite(r))
            throw new EphysInputException(FileName, path, rate is null ? "rate attribute missing" : $"rate {rate} is not > 0");
        var start = dataset.ReadScalar<double>();
        if (!double.IsFinite(start)) throw new EphysInputException(FileName, path, $"starting time {start} is not finite");
        return (r, start);
    }

    private double[] CheckedTimestamps(string seriesPath, long samples)
    {
        var path = seriesPath + "/timestamps";
        var times = Doubles(path);
        if (times.Length != samples) throw new EphysInputException(FileName, path, $"{times.Length} timestamps for {samples} samples of data");
        for (var i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i])) throw new EphysInputException(FileName, path, $"timestamp {times[i]} at sample {i}");
            if (i > 0 && times[i] < times[i - 1])
                throw new EphysInputException(FileName, path, $"timestamps decrease at sample {i} ({times[i - 1].ToString("R", CultureInfo.InvariantCulture)} then {times[i].ToString("R", CultureInfo.InvariantCulture)} s)");
        }
        return times;
    }

    /// <summary>The table's value columns: in colnames order when the attribute is there, else name order.</summary>
    private List<string> IntervalColumns(string tablePath)
    {
        using var group = file.OpenGroup(tablePath);
        var datasets = group.Members().Where(m => m.Kind == Hdf5ObjectKind.Dataset).Select(m => m.Name).ToList();
        var order = group.HasAttribute("colnames") ? group.ReadAttributeStrings("colnames").Where(datasets.Contains).ToList() : datasets;
        return order.Where(name => !IntervalBaseColumns.Contains(name) && !name.EndsWith("_index", StringComparison.Ordinal) && HoldsValues(tablePath + "/" + name)).ToList();
    }

    // A column of references (e.g. the `timeseries` column pointing at series) has no text or number to select rows by.
    private bool HoldsValues(string path)
    {
        using var dataset = file.OpenDataset(path);
        var type = dataset.ElementType;
        return type.IsNumeric || type.Class is Hdf5TypeClass.String or Hdf5TypeClass.Enum || type.IsVariableLengthString;
    }

    private string[] ColumnCells(string path)
    {
        using var dataset = file.OpenDataset(path);
        var type = dataset.ElementType;
        if (type.Class == Hdf5TypeClass.String || type.IsVariableLengthString) return dataset.ReadStrings();
        if (type.Class is Hdf5TypeClass.Integer or Hdf5TypeClass.Enum)
            return dataset.ReadAll<long>().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (type.Class == Hdf5TypeClass.Float)
            return dataset.ReadAll<double>().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        throw new EphysInputException(FileName, path, $"holds {type}, not text or numbers");
    }
}
