using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// An NWB 2.x file: finds every ElectricalSeries by its neurodata_type wherever it is, and reads the session's
/// metadata, units and interval tables. <see cref="OpenSeries"/> gives a streaming <see cref="IRecording"/> in volts.
/// Every data problem is an <see cref="EphysInputException"/> naming file and dataset.
/// </summary>
public sealed partial class NwbFile : IDisposable
{
    private const string ElectrodesTable = "/general/extracellular_ephys/electrodes";
    private readonly Hdf5File file;
    private readonly Dictionary<string, int> typeCounts = new(StringComparer.Ordinal);

    private NwbFile(string path, Hdf5File file)
    {
        FileName = path;
        this.file = file;
        var series = new List<NwbSeriesSummary>();
        Hdf5Input.Guard(path, "/", () => { Walk(file, "", series); return 0; });
        Series = series;
        behaviouralSeries = new Lazy<BehaviourListing>(DescribeBehaviouralCandidates);
    }

    public string FileName { get; }

    /// <summary>Every ElectricalSeries in the file, in name order of a depth-first walk.</summary>
    public IReadOnlyList<NwbSeriesSummary> Series { get; }

    /// <summary>How many groups of each neurodata_type the file holds (e.g. "Units" → 1, "TimeSeries" → 2).</summary>
    public IReadOnlyDictionary<string, int> NeurodataTypes => typeCounts;

    /// <summary>Opens an NWB file, or throws <see cref="EphysInputException"/> (missing, not HDF5, truncated, ...).</summary>
    /// <param name="threads">Threads for the damage check made before HDF5 sees the file (one read of the whole file).</param>
    /// <param name="checkHeaps">False skips that check, for a file this process has just opened with it.</param>
    public static NwbFile Open(string path, int threads = 1, bool checkHeaps = true)
    {
        var hdf5 = Hdf5Input.Open(path, checkHeaps, threads);
        try
        {
            return new NwbFile(path, hdf5);
        }
        catch
        {
            hdf5.Dispose();
            throw;
        }
    }

    /// <summary>Opens one series of a file as a recording (the file is closed when the recording is disposed).</summary>
    public static Hdf5Recording OpenRecording(string path, string? series = null)
    {
        using var nwb = Open(path);
        return nwb.OpenSeries(series);
    }

    /// <summary>What the file holds, for messages: "units: 3, TimeIntervals: 1, TimeSeries: 2".</summary>
    public string DescribeContents() => Hdf5Input.Guard(FileName, null, () =>
    {
        var parts = new List<string>();
        if (file.Exists("units/spike_times_index"))
            parts.Add($"units: {Hdf5Input.Guard(FileName, "/units/spike_times_index", () => { using var d = file.OpenDataset("units/spike_times_index"); return d.ElementCount; })}");
        parts.AddRange(typeCounts.Where(p => p.Key is not ("Units" or "DynamicTable" or "VectorData" or "VectorIndex" or "ElementIdentifiers" or "DynamicTableRegion"))
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
        return parts.Count == 0 ? "nothing recognisable" : string.Join(", ", parts);
    });

    /// <summary>The series at <paramref name="pathOrName"/> (full path or last component); null picks the only one.</summary>
    public NwbSeriesSummary ResolveSeries(string? pathOrName) => Hdf5Input.Guard(FileName, null, () =>
    {
        if (Series.Count == 0)
            throw new EphysInputException(FileName, null, $"no ElectricalSeries (file contains {DescribeContents()})");
        if (pathOrName is null)
        {
            if (Series.Count == 1) return Series[0];
            throw new EphysInputException(FileName, null, $"{Series.Count} ElectricalSeries ({string.Join(", ", Series.Select(s => s.Path))}): choose one");
        }
        var wanted = pathOrName.StartsWith('/') ? pathOrName : "/" + pathOrName;
        var matches = Series.Where(s => s.Path == wanted || s.Name == pathOrName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EphysInputException(FileName, pathOrName, $"no such ElectricalSeries (have {string.Join(", ", Series.Select(s => s.Path))})"),
            _ => throw new EphysInputException(FileName, pathOrName, $"ambiguous: {string.Join(", ", matches.Select(s => s.Path))}"),
        };
    });

    /// <summary>Opens a series as a streaming recording in volts.</summary>
    public Hdf5Recording OpenSeries(string? pathOrName = null) => Hdf5Input.Guard(FileName, null, () =>
    {
        var series = ResolveSeries(pathOrName);
        var dataPath = series.Path + "/data";
        var setup = Hdf5Input.Guard(FileName, dataPath, () => DescribeSeries(series));
        var recordingFile = Hdf5Input.Open(FileName, checkHeaps: false); // checked when this NwbFile was opened
        try
        {
            return Hdf5Input.Guard(FileName, dataPath, () => new Hdf5Recording(recordingFile, dataPath, channelsBySamples: false,
                setup.Rate, setup.Start, setup.Gain, setup.Offset, setup.Channels));
        }
        catch
        {
            recordingFile.Dispose();
            throw;
        }
    });

    /// <summary>identifier, session_start_time, session_description, subject id and species, pharmacology.</summary>
    public SessionMetadata ReadMetadata() => Hdf5Input.Guard(FileName, null, () => new SessionMetadata(
        ScalarString("identifier") ?? Path.GetFileNameWithoutExtension(FileName),
        ScalarString("session_start_time"),
        ScalarString("session_description"),
        ScalarString("general/subject/subject_id"),
        ScalarString("general/subject/species"),
        ScalarString("general/pharmacology")));

    /// <summary>The units table's rows: ids, spike counts (from the ragged index), electrodes and regions; no spike times.</summary>
    public IReadOnlyList<UnitInfo> ReadUnits() => Hdf5Input.Guard(FileName, null, () =>
    {
        if (!file.Exists("units/spike_times") || !file.Exists("units/spike_times_index")) return [];
        var ranges = SpikeRanges();
        var ids = UnitIds(ranges.Count);
        var electrodes = UnitElectrodes(ranges.Count);
        var locations = file.Exists("units/location") ? Strings("/units/location") : null;
        var table = ElectrodeColumns(ElectrodesTable);
        var units = new List<UnitInfo>(ranges.Count);
        for (var u = 0; u < ranges.Count; u++)
        {
            var (start, end) = ranges[u];
            var rows = electrodes?[u] ?? [];
            var electrodeIds = rows.Select(r => table is not null && r < table.Ids.Length ? table.Ids[r] : r).ToArray();
            var region = locations is not null && u < locations.Length && locations[u].Length > 0 ? locations[u]
                : rows.Length > 0 && table is not null && rows[0] < table.Locations.Length ? table.Locations[rows[0]] : "unknown";
            units.Add(new UnitInfo(ids[u], u, end - start, electrodeIds, Region(region)));
        }
        return units;
    });

    /// <summary>
    /// Streams the units table's spike times in slices of <paramref name="sliceValues"/> values (memory does not grow
    /// with the table), each unit's part of a slice to <paramref name="visit"/>. A non-finite time is an error naming
    /// the unit and the spike.
    /// </summary>
    public void ReadSpikeTimes(SpikeTimesVisitor visit, int sliceValues = 1 << 20) => Hdf5Input.Guard(FileName, "/units/spike_times", () =>
    {
        if (!file.Exists("units/spike_times") || !file.Exists("units/spike_times_index")) return 0;
        var ranges = SpikeRanges();
        var ids = UnitIds(ranges.Count);
        long total = ranges.Count == 0 ? 0 : ranges[^1].End;
        using var dataset = file.OpenDataset("/units/spike_times");
        var buffer = new double[(int)Math.Clamp(total, 1, Math.Max(1, sliceValues))];
        int unit = 0;
        for (long start = 0; start < total; start += buffer.Length)
        {
            int n = (int)Math.Min(buffer.Length, total - start);
            var slice = buffer.AsSpan(0, n);
            dataset.Read<double>([start], [n], slice);
            while (unit < ranges.Count && ranges[unit].End <= start) unit++;
            for (int u = unit; u < ranges.Count && ranges[u].Start < start + n; u++)
            {
                long from = Math.Max(ranges[u].Start, start), to = Math.Min(ranges[u].End, start + n);
                if (to <= from) continue;
                var times = slice[(int)(from - start)..(int)(to - start)];
                for (var k = 0; k < times.Length; k++)
                    if (!double.IsFinite(times[k]))
                        throw new EphysInputException(FileName, "/units/spike_times", $"unit {ids[u]}: spike time {times[k]} (spike {from - ranges[u].Start + k})");
                visit(u, from - ranges[u].Start, times);
            }
        }
        return 0;
    });

    private List<(long Start, long End)> SpikeRanges()
    {
        long values = Hdf5Input.Guard(FileName, "/units/spike_times", () => { using var d = file.OpenDataset("/units/spike_times"); return d.ElementCount; });
        return Ragged("/units/spike_times_index", values, "spike_times");
    }

    private long[] UnitIds(int count)
    {
        var ids = file.Exists("units/id") ? Longs("/units/id") : Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        if (ids.Length < count) throw new EphysInputException(FileName, "/units/id", $"{ids.Length} ids for {count} units");
        return ids;
    }

    /// <summary>
    /// One per-unit column of the units table (e.g. quality, isi_violations, presence_ratio): numbers for integer and
    /// float columns, text for string columns. Ragged columns (with an _index) and other types are errors naming the
    /// column, as is a column the table does not have (with the columns it does have).
    /// </summary>
    public UnitColumn ReadUnitColumn(string column, int unitCount) => Hdf5Input.Guard(FileName, "/units/" + column, () =>
    {
        var path = "/units/" + column;
        if (column.Length == 0 || column.Contains('/') || file.KindOf(path) != Hdf5ObjectKind.Dataset)
        {
            var columns = file.KindOf("units") == Hdf5ObjectKind.Group
                ? Hdf5Input.Guard(FileName, "/units", () => { using var g = file.OpenGroup("units"); return g.Members(); })
                    .Where(m => m.Kind == Hdf5ObjectKind.Dataset && !m.Name.EndsWith("_index", StringComparison.Ordinal) && m.Name != "id")
                    .Select(m => m.Name).ToList()
                : [];
            throw new EphysInputException(FileName, path, $"the units table has no column '{column}' (columns: {(columns.Count == 0 ? "none" : string.Join(", ", columns))})");
        }
        if (file.Exists(path + "_index")) throw new EphysInputException(FileName, path, "a ragged column (one list per unit) cannot filter units");
        using var dataset = file.OpenDataset(path);
        var shape = dataset.Shape;
        if (shape.Length != 1 || shape[0] != unitCount)
            throw new EphysInputException(FileName, path, $"shape ({string.Join(", ", shape)}) is not one value for each of the {unitCount} units");
        var type = dataset.ElementType;
        if (type.IsNumeric) return new UnitColumn(column, dataset.ReadAll<double>(), null);
        if (type.Class == Hdf5TypeClass.String) return new UnitColumn(column, null, dataset.ReadStrings());
        throw new EphysInputException(FileName, path, $"{type} values; unit filters compare numbers or text");
    });

    /// <summary>Every /intervals table with start_time and stop_time (epochs, trials, ...), by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> ReadIntervals() => Hdf5Input.Guard(FileName, null, () =>
    {
        var result = new SortedDictionary<string, IReadOnlyList<EpochInterval>>(StringComparer.Ordinal);
        if (file.KindOf("intervals") != Hdf5ObjectKind.Group) return result;
        var members = Hdf5Input.Guard(FileName, "/intervals", () => { using var g = file.OpenGroup("intervals"); return g.Members(); });
        foreach (var member in members.Where(m => m.Kind == Hdf5ObjectKind.Group))
        {
            var table = "/intervals/" + member.Name;
            if (!file.Exists(table + "/start_time") || !file.Exists(table + "/stop_time")) continue;
            var starts = Doubles(table + "/start_time");
            var stops = Doubles(table + "/stop_time");
            if (starts.Length != stops.Length)
                throw new EphysInputException(FileName, table, $"{starts.Length} start times but {stops.Length} stop times");
            string[][] tags = starts.Select(_ => Array.Empty<string>()).ToArray();
            if (file.Exists(table + "/tags") && file.Exists(table + "/tags_index"))
            {
                var values = Strings(table + "/tags");
                var ranges = Ragged(table + "/tags_index", values.Length, "tags");
                for (var i = 0; i < Math.Min(ranges.Count, tags.Length); i++) tags[i] = values[(int)ranges[i].Start..(int)ranges[i].End];
            }
            result[member.Name] = starts.Select((s, i) => new EpochInterval(s, stops[i], tags[i])).ToList();
        }
        return result;
    });

    /// <summary>The /intervals/epochs table, or empty.</summary>
    public IReadOnlyList<EpochInterval> ReadEpochs() => ReadIntervals().TryGetValue("epochs", out var epochs) ? epochs : [];

    public void Dispose() => file.Dispose();

    private sealed record SeriesSetup(double Rate, double Start, double[] Gain, double Offset, IReadOnlyList<ChannelInfo> Channels);

    private sealed record ElectrodeTable(long[] Ids, string[] Locations, string[] Groups);

    private SeriesSetup DescribeSeries(NwbSeriesSummary series)
    {
        var dataPath = series.Path + "/data";
        if (file.KindOf(dataPath) != Hdf5ObjectKind.Dataset) throw new EphysInputException(FileName, dataPath, "missing");
        using var data = file.OpenDataset(dataPath);
        var type = data.ElementType;
        if (!type.IsNumeric) throw new EphysInputException(FileName, dataPath, $"unsupported dtype {type} (numbers expected)");
        var shape = data.Shape;
        if (shape.Length is not (1 or 2)) throw new EphysInputException(FileName, dataPath, $"rank {shape.Length}; (samples, channels) expected");
        var samples = shape[0];
        var channelCount = shape.Length == 1 ? 1 : (int)shape[1];
        if (samples == 0 || channelCount == 0) throw new EphysInputException(FileName, dataPath, $"empty dataset (shape {string.Join(" × ", shape)})");
        var conversion = Hdf5Input.NumberAttribute(data, "conversion") ?? 1.0;
        var offset = Hdf5Input.NumberAttribute(data, "offset") ?? 0.0;
        if (!double.IsFinite(conversion) || conversion == 0 || !double.IsFinite(offset))
            throw new EphysInputException(FileName, dataPath, $"conversion {conversion} / offset {offset} cannot give volts");
        var gain = Enumerable.Repeat(conversion, channelCount).ToArray();
        var channelConversionPath = series.Path + "/channel_conversion";
        if (file.KindOf(channelConversionPath) == Hdf5ObjectKind.Dataset)
        {
            var perChannel = Doubles(channelConversionPath);
            if (perChannel.Length != channelCount)
                throw new EphysInputException(FileName, channelConversionPath, $"{perChannel.Length} values for {channelCount} channels");
            for (var c = 0; c < channelCount; c++) gain[c] *= perChannel[c];
        }
        var (rate, start) = Timing(series.Path, samples);
        return new SeriesSetup(rate, start, gain, offset, SeriesChannels(series.Path, channelCount));
    }

    private (double Rate, double Start) Timing(string seriesPath, long samples)
    {
        var startingTime = seriesPath + "/starting_time";
        if (file.KindOf(startingTime) == Hdf5ObjectKind.Dataset)
        {
            using var dataset = file.OpenDataset(startingTime);
            var rate = Hdf5Input.NumberAttribute(dataset, "rate");
            if (rate is not { } r || !(r > 0) || !double.IsFinite(r))
                throw new EphysInputException(FileName, startingTime, rate is null ? "rate attribute missing" : $"rate {rate} is not > 0");
            var start = dataset.ReadScalar<double>();
            if (!double.IsFinite(start)) throw new EphysInputException(FileName, startingTime, $"starting time {start} is not finite");
            return (r, start);
        }
        var timestampsPath = seriesPath + "/timestamps";
        if (file.KindOf(timestampsPath) != Hdf5ObjectKind.Dataset)
            throw new EphysInputException(FileName, seriesPath, "neither starting_time (with rate) nor timestamps: sampling rate missing");
        using var timestamps = file.OpenDataset(timestampsPath);
        return RegularTimestamps(timestamps, timestampsPath, samples);
    }

    /// <summary>
    /// Derives the rate from timestamps in one streaming pass: every interval must be within 1e-6 (relative) of the
    /// typical one (the median of the first 100), so a gap, a jump back or a repeat is reported where it is.
    /// </summary>
    private (double Rate, double Start) RegularTimestamps(Hdf5Dataset timestamps, string path, long samples)
    {
        var count = timestamps.ElementCount;
        if (count != samples) throw new EphysInputException(FileName, path, $"{count} timestamps for {samples} samples");
        if (count < 2) throw new EphysInputException(FileName, path, "a single timestamp: sampling rate cannot be derived");
        const int block = 65536;
        var buffer = new double[block + 1];
        double typical = double.NaN, first = double.NaN, last = double.NaN;
        for (long start = 0; start < count - 1; start += block)
        {
            var n = (int)Math.Min(block + 1, count - start);
            timestamps.Read<double>([start], [n], buffer.AsSpan(0, n));
            if (start == 0)
            {
                first = buffer[0];
                var head = new double[Math.Min(n - 1, 100)];
                for (var i = 0; i < head.Length; i++) head[i] = buffer[i + 1] - buffer[i];
                Array.Sort(head);
                typical = head[head.Length / 2];
                if (!(typical > 0) || !double.IsFinite(typical))
                    throw new EphysInputException(FileName, path, "timestamps do not increase: sampling rate cannot be derived");
            }
            for (var i = 1; i < n; i++)
            {
                var interval = buffer[i] - buffer[i - 1];
                if (Math.Abs(interval - typical) <= 1e-6 * typical) continue;
                var t = double.IsFinite(buffer[i - 1]) ? buffer[i - 1].ToString("G10", CultureInfo.InvariantCulture) : "?";
                var what = double.IsNaN(interval) ? $"a non-finite timestamp at sample {(double.IsFinite(buffer[i - 1]) ? start + i : start + i - 1)}"
                    : !(interval > 0) ? $"timestamps go back or repeat at sample {start + i} (t = {t} s, interval {interval:G6} s)"
                    : Math.Abs(interval - typical) > 0.5 * typical ? $"a {(interval > typical ? "gap" : "jump")} at sample {start + i} (t = {t} s, interval {interval:G6} s)"
                    : $"interval {interval:G6} s at sample {start + i}";
                throw new EphysInputException(FileName, path,
                    $"irregularly sampled: {what} against the typical interval {typical:G6} s (tolerance 1e-6 relative); the series must be regularly sampled");
            }
            last = buffer[n - 1];
        }
        return (1.0 / ((last - first) / (count - 1)), first);
    }

    private IReadOnlyList<ChannelInfo> SeriesChannels(string seriesPath, int channelCount)
    {
        var regionPath = seriesPath + "/electrodes";
        if (file.KindOf(regionPath) != Hdf5ObjectKind.Dataset)
            return Enumerable.Range(0, channelCount).Select(c => new ChannelInfo(c, c, "unknown", "")).ToList();
        var rows = Longs(regionPath);
        if (rows.Length < channelCount)
            throw new EphysInputException(FileName, regionPath, $"electrodes table region has {rows.Length} rows for {channelCount} data channels");
        string tablePath = ElectrodesTable;
        using (var region = file.OpenDataset(regionPath))
        {
            if (region.HasAttribute("table"))
            {
                var target = Hdf5Input.Guard(FileName, regionPath, () => region.ReadAttributeReferences("table"));
                if (target.Length > 0 && target[0].Length > 0) tablePath = target[0];
            }
        }
        var table = ElectrodeColumns(tablePath)
            ?? throw new EphysInputException(FileName, tablePath, "electrodes table missing");
        var channels = new List<ChannelInfo>(channelCount);
        for (var c = 0; c < channelCount; c++)
        {
            var row = rows[c];
            if (row < 0 || row >= table.Ids.Length)
                throw new EphysInputException(FileName, regionPath, $"row {row} outside the electrodes table ({table.Ids.Length} rows)");
            channels.Add(new ChannelInfo(c, table.Ids[row], Region(table.Locations[row]), table.Groups[row]));
        }
        return channels;
    }

    private ElectrodeTable? ElectrodeColumns(string tablePath)
    {
        if (file.KindOf(tablePath) != Hdf5ObjectKind.Group) return null;
        long[] ids = file.Exists(tablePath + "/id") ? Longs(tablePath + "/id") : [];
        var rows = ids.Length;
        if (rows == 0 && file.Exists(tablePath + "/location")) rows = Strings(tablePath + "/location").Length;
        if (ids.Length == 0) ids = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
        var locations = file.Exists(tablePath + "/location") ? Strings(tablePath + "/location") : [];
        string[] groups = file.Exists(tablePath + "/group_name") ? Strings(tablePath + "/group_name")
            : file.KindOf(tablePath + "/group") == Hdf5ObjectKind.Dataset ? GroupNames(tablePath + "/group") : [];
        return new ElectrodeTable(ids, Pad(locations, rows), Pad(groups, rows));
    }

    private string[] GroupNames(string path)
    {
        try
        {
            using var dataset = file.OpenDataset(path);
            return dataset.ElementType.Class == Hdf5TypeClass.Reference
                ? dataset.ReadReferences().Select(p => p[(p.LastIndexOf('/') + 1)..]).ToArray()
                : [];
        }
        catch (Hdf5Exception)
        {
            return [];
        }
    }

    private static string[] Pad(string[] values, int length) =>
        values.Length >= length ? values : values.Concat(Enumerable.Repeat("", length - values.Length)).ToArray();

    private static string Region(string location) => string.IsNullOrWhiteSpace(location) ? "unknown" : location.Trim();

    private long[][]? UnitElectrodes(int unitCount)
    {
        if (!file.Exists("units/electrodes") || !file.Exists("units/electrodes_index")) return null;
        var rows = Longs("/units/electrodes");
        var ranges = Ragged("/units/electrodes_index", rows.Length, "electrodes");
        return Enumerable.Range(0, unitCount).Select(u => u < ranges.Count ? rows[(int)ranges[u].Start..(int)ranges[u].End] : []).ToArray();
    }

    /// <summary>A VectorIndex as [start, end) ranges into a target of <paramref name="targetLength"/> values.</summary>
    private List<(long Start, long End)> Ragged(string indexPath, long targetLength, string targetName)
    {
        var ends = Longs(indexPath);
        var ranges = new List<(long, long)>(ends.Length);
        long previous = 0;
        foreach (var end in ends)
        {
            if (end > targetLength)
                throw new EphysInputException(FileName, indexPath, $"index {end} past the end of {targetName} ({targetLength} values)");
            if (end < previous)
                throw new EphysInputException(FileName, indexPath, $"index decreases ({previous} then {end})");
            ranges.Add((previous, end));
            previous = end;
        }
        // The last row ends where the data ends (NWB VectorIndex); anything else would drop or invent values silently.
        if (previous != targetLength && ends.Length > 0)
            throw new EphysInputException(FileName, indexPath, $"the last row ends at {previous} but {targetName} has {targetLength} values");
        return ranges;
    }

    private double[] Doubles(string path) => Hdf5Input.Guard(FileName, path, () => { using var d = file.OpenDataset(path); return d.ReadAll<double>(); });

    private long[] Longs(string path) => Hdf5Input.Guard(FileName, path, () => { using var d = file.OpenDataset(path); return d.ReadAll<long>(); });

    private string[] Strings(string path) => Hdf5Input.Guard(FileName, path, () => { using var d = file.OpenDataset(path); return d.ReadStrings(); });

    private string? ScalarString(string path)
    {
        if (file.KindOf(path) != Hdf5ObjectKind.Dataset) return null;
        try
        {
            using var dataset = file.OpenDataset(path);
            var values = dataset.ReadStrings();
            return values.Length == 0 ? null : string.Join(", ", values);
        }
        catch (Hdf5Exception)
        {
            return null;
        }
    }

    private void Walk(Hdf5Group group, string prefix, List<NwbSeriesSummary> series)
    {
        foreach (var member in group.Members())
        {
            if (member.Kind != Hdf5ObjectKind.Group || member.SoftLinkTarget is not null) continue;
            if (prefix.Length == 0 && member.Name == "specifications") continue;
            var path = prefix + "/" + member.Name;
            using var child = group.OpenGroup(member.Name);
            var type = Hdf5Input.StringAttribute(child, "neurodata_type");
            if (!string.IsNullOrEmpty(type)) typeCounts[type] = typeCounts.GetValueOrDefault(type) + 1;
            if (type == "ElectricalSeries") series.Add(new NwbSeriesSummary(path, member.Name));
            else if (IsBehaviouralCandidate(child, type)) behaviouralCandidates.Add((path, member.Name, type!));
            Walk(child, path, series);
        }
    }
}
