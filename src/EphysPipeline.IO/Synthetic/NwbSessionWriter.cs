using System.Globalization;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO.Synthetic;

/// <summary>
/// Writes one synthetic session as an NWB 2.7 file with the layout pynwb writes (tests/fixtures/nwb/ketamine_m01.nwb):
/// int16 ElectricalSeries in /acquisition (chunked, gzip), electrodes and units DynamicTables, epochs, subject,
/// pharmacology, plus /intervals/injection and /intervals/movement_artifacts (ground truth of the model).
/// The /specifications namespace cache is not written (readers do not need it).
/// </summary>
public static partial class NwbSessionWriter
{
    /// <summary>Rows per storage chunk (1 s at 1 kHz), all channels per chunk.</summary>
    public const int ChunkRows = 1000;

    /// <summary>
    /// Deflate level, after the byte shuffle filter: on this LFP, shuffle + level 1 gives 13.7 MB per default session
    /// in 0.32 s of CPU, against 15.8 MB and 0.65 s for pynwb's level 4 without shuffle (h5py, one run).
    /// </summary>
    public const int GzipLevel = 1;

    private const int ChunksPerWrite = 10;
    private const string ElectrodesPath = "/general/extracellular_ephys/electrodes";

    /// <summary>Generates the session and writes it to <paramref name="path"/> (replacing it). Returns the generator (units, artifacts).</summary>
    public static SyntheticSessionGenerator Write(string path, SyntheticSessionSpec spec, DateTimeOffset sessionStart)
    {
        var generator = new SyntheticSessionGenerator(spec);
        var ids = new SynthRandom(spec.SessionSeed, 7);
        using var file = Hdf5File.Create(path);
        WriteRoot(file, $"{spec.SessionId}-{spec.Seed}", $"synthetic {spec.Drug.Name} session (EphysPipeline ephys synth, seed {spec.Seed})", sessionStart, ids);
        WriteGeneral(file, spec, ids);
        WriteElectricalSeries(file, "/acquisition/ElectricalSeries", generator, ids);
        WriteUnits(file, [.. generator.Units.Select(u => ((long)u.Id, u.SpikeTimes, (long)u.Channel))], ids);
        WriteIntervals(file, spec, generator, ids);
        if (spec.Behaviour) WriteBehaviour(file, spec, generator, ids);
        return generator;
    }

    private static void WriteRoot(Hdf5File file, string identifier, string description, DateTimeOffset sessionStart, SynthRandom ids)
    {
        var start = sessionStart.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        Typed(file, "NWBFile", "core", ids);
        file.WriteAttribute("nwb_version", "2.7.0");
        using (file.WriteStrings("/file_create_date", [start])) { }
        using (file.WriteString("/identifier", identifier)) { }
        using (file.WriteString("/session_description", description)) { }
        using (file.WriteString("/session_start_time", start)) { }
        using (file.WriteString("/timestamps_reference_time", start)) { }
        foreach (var group in new[] { "/acquisition", "/analysis", "/processing", "/stimulus/presentation", "/stimulus/templates" })
            using (file.CreateGroup(group)) { }
    }

    private static void WriteGeneral(Hdf5File file, SyntheticSessionSpec spec, SynthRandom ids)
    {
        WriteSubject(file, spec, ids);
        using (var device = file.CreateGroup("/general/devices/probe"))
        {
            Typed(device, "Device", "core", ids);
            device.WriteAttribute("description", "synthetic 16-site silicon probe");
        }
        var regions = Enumerable.Range(0, spec.ChannelCount).Select(spec.RegionOf).ToArray();
        foreach (var region in regions.Distinct()) WriteElectrodeGroup(file, $"shank_{region}", region, "/general/devices/probe", ids);

        // Sites 20 µm apart along each shank; shanks 2 mm apart.
        var firstOfRegion = new Dictionary<string, int>();
        var y = new double[regions.Length];
        var x = new double[regions.Length];
        for (var i = 0; i < regions.Length; i++)
        {
            var first = firstOfRegion.TryGetValue(regions[i], out var f) ? f : firstOfRegion[regions[i]] = i;
            y[i] = 20.0 * (i - first);
            x[i] = regions[i] == "PFC" ? 0.0 : 2000.0;
        }
        WriteElectrodes(file, new ElectrodeRows([.. Enumerable.Range(0, regions.Length).Select(i => (long)i)], regions,
            [.. regions.Select(r => $"shank_{r}")], x, y), ids);
    }

    /// <summary>Rows of the electrodes table: id, location, electrode group name (under extracellular_ephys), x and y (µm).</summary>
    private sealed record ElectrodeRows(long[] Ids, string[] Locations, string[] Groups, double[] X, double[] Y);

    private static void WriteSubject(Hdf5File file, SyntheticSessionSpec spec, SynthRandom ids)
    {
        using (var subject = file.CreateGroup("/general/subject"))
        {
            Typed(subject, "Subject", "core", ids);
            using (var age = subject.WriteString("age", "P90D")) age.WriteAttribute("reference", "birth");
            using (subject.WriteString("sex", "M")) { }
            using (subject.WriteString("species", "Mus musculus")) { }
            using (subject.WriteString("subject_id", spec.SubjectId)) { }
        }
        using (file.WriteString("/general/pharmacology", Pharmacology(spec))) { }
    }

    private static void WriteElectrodeGroup(Hdf5File file, string name, string location, string device, SynthRandom ids)
    {
        using var group = file.CreateGroup($"/general/extracellular_ephys/{name}");
        Typed(group, "ElectrodeGroup", "core", ids);
        group.WriteAttribute("description", location);
        group.WriteAttribute("location", location);
        group.CreateSoftLink("device", device);
    }

    private static void WriteElectrodes(Hdf5File file, ElectrodeRows electrodes, SynthRandom ids)
    {
        using var table = file.CreateGroup(ElectrodesPath);
        Typed(table, "DynamicTable", "hdmf-common", ids);
        table.WriteAttribute("colnames", ["location", "group", "group_name", "x", "y", "z", "imp", "filtering"]);
        table.WriteAttribute("description", "metadata about extracellular electrodes");
        var rows = electrodes.Ids.Length;
        Ids(table, electrodes.Ids, ids);
        using (var c = table.WriteStrings("location", electrodes.Locations)) Column(c, "the location of channel within the subject e.g. brain region", ids);
        using (var c = table.WriteReferences("group", [.. electrodes.Groups.Select(g => $"/general/extracellular_ephys/{g}")]))
            Column(c, "a reference to the ElectrodeGroup this electrode is a part of", ids);
        using (var c = table.WriteStrings("group_name", electrodes.Groups))
            Column(c, "the name of the ElectrodeGroup this electrode is a part of", ids);
        NumericColumn(table, "x", electrodes.X, "the x coordinate of the position (+x is posterior)", ids);
        NumericColumn(table, "y", electrodes.Y, "the y coordinate of the position (+y is inferior)", ids);
        NumericColumn(table, "z", new double[rows], "the z coordinate of the position (+z is right)", ids);
        NumericColumn(table, "imp", Enumerable.Repeat(double.NaN, rows).ToArray(), "the impedance of the electrode, in ohms", ids);
        using (var c = table.WriteStrings("filtering", [.. Enumerable.Repeat("none", rows)]))
            Column(c, "description of hardware filtering, including the filter name and frequency cutoffs", ids);
    }

    private static void WriteElectricalSeries(Hdf5File file, string path, SyntheticSessionGenerator generator, SynthRandom ids, double startingTime = 0)
    {
        var channels = generator.ChannelCount;
        var samples = generator.SampleCount;
        using var series = file.CreateGroup(path);
        series.WriteAttribute("comments", "no comments");
        series.WriteAttribute("description", "synthetic LFP (see sampledata/README.md for the model)");
        Typed(series, "ElectricalSeries", "core", ids);

        using (var data = series.CreateDataset<short>("data", [samples, channels], [Math.Min(ChunkRows, samples), channels], GzipLevel, shuffle: true))
        {
            data.WriteAttribute("conversion", SyntheticModel.Conversion);
            data.WriteAttribute("offset", 0.0);
            data.WriteAttribute("resolution", -1.0);
            data.WriteAttribute("unit", "volts");
            // Streaming: memory stays at one block whatever the recording length.
            var block = new short[ChunkRows * ChunksPerWrite * channels];
            for (long row = 0; row < samples; row += ChunkRows * ChunksPerWrite)
            {
                var rows = (int)Math.Min(ChunkRows * ChunksPerWrite, samples - row);
                var span = block.AsSpan(0, rows * channels);
                generator.Fill(span);
                data.Write<short>([row, 0], [rows, channels], span);
            }
        }
        using (var region = series.CreateDataset<long>("electrodes", [channels]))
        {
            region.WriteAll<long>([.. Enumerable.Range(0, channels).Select(i => (long)i)]);
            region.WriteAttribute("description", "all electrodes");
            Typed(region, "DynamicTableRegion", "hdmf-common", ids);
            region.WriteReferenceAttribute("table", ElectrodesPath);
        }
        using var start = series.WriteScalar("starting_time", startingTime);
        start.WriteAttribute("rate", generator.Spec.SampleRate);
        start.WriteAttribute("unit", "seconds");
    }

    /// <summary>The units table; Row is the unit's row in the electrodes table.</summary>
    private static void WriteUnits(Hdf5File file, IReadOnlyList<(long Id, IReadOnlyList<double> SpikeTimes, long Row)> units, SynthRandom ids,
        IReadOnlyList<UnitQualityColumn>? quality = null)
    {
        using var table = file.CreateGroup("/units");
        table.WriteAttribute("colnames", ["spike_times", "electrodes", .. (quality ?? []).Select(q => q.Name)]);
        table.WriteAttribute("description", "synthetic units, theta-phase-locked inhomogeneous Poisson with 2 ms refractory period");
        Typed(table, "Units", "core", ids);
        Ids(table, [.. units.Select(u => u.Id)], ids);

        var spikeTimes = units.SelectMany(u => u.SpikeTimes).ToArray();
        var spikeEnds = new long[units.Count];
        for (long i = 0, total = 0; i < units.Count; i++) spikeEnds[i] = total += units[(int)i].SpikeTimes.Count;
        using (var c = table.CreateDataset<double>("spike_times", [spikeTimes.Length]))
        {
            c.WriteAll<double>(spikeTimes);
            Column(c, "the spike times for each unit", ids);
        }
        Index(table, "spike_times_index", "spike_times", spikeEnds, ids);

        using (var c = table.CreateDataset<long>("electrodes", [units.Count]))
        {
            c.WriteAll<long>([.. units.Select(u => u.Row)]);
            Column(c, "the electrodes that each spike unit came from", ids, "DynamicTableRegion");
            c.WriteReferenceAttribute("table", ElectrodesPath);
        }
        Index(table, "electrodes_index", "electrodes", [.. Enumerable.Range(1, units.Count).Select(i => (long)i)], ids);
        foreach (var column in quality ?? [])
        {
            if (column.Texts is { } texts)
                using (var c = table.WriteStrings(column.Name, texts)) Column(c, column.Description, ids);
            else NumericColumn(table, column.Name, column.Numbers!, column.Description, ids);
        }
    }

    /// <summary>A curation column of the units table (as Kilosort / the Allen pipeline write them).</summary>
    private sealed record UnitQualityColumn(string Name, string Description, string[]? Texts, double[]? Numbers);

    private static void WriteIntervals(Hdf5File file, SyntheticSessionSpec spec, SyntheticSessionGenerator generator, SynthRandom ids)
    {
        var inj = spec.InjectionSeconds;
        var end = generator.SampleCount / spec.SampleRate;
        Intervals(file, "epochs", "experimental epochs", [(0, inj, "baseline"), (inj, end, "drug")], ids);
        Intervals(file, "injection", $"{spec.Drug.Name} injection (instantaneous; tag = drug)", [(inj, inj, spec.Drug.Name)], ids);
        Intervals(file, "movement_artifacts", "ground truth of the synthetic model: movement artifacts on all channels",
            [.. generator.Artifacts.Select(a => (a.Start, a.Stop, "artifact"))], ids);
    }

    /// <summary>
    /// /processing/behavior: running_speed (TimeSeries, cm/s) and Position/position (SpatialSeries, x and y in cm), both at
    /// 50 Hz from t = 0, as pynwb writes them; /intervals/behaviour_truth has the model's bouts tagged run or rest.
    /// </summary>
    private static void WriteBehaviour(Hdf5File file, SyntheticSessionSpec spec, SyntheticSessionGenerator generator, SynthRandom ids)
    {
        var speed = LocomotionModel.Speed(spec, generator.Bouts);
        using (var module = file.CreateGroup("/processing/behavior"))
        {
            Typed(module, "ProcessingModule", "core", ids);
            module.WriteAttribute("description", "behaviour of the synthetic animal (ground truth in sampledata/README.md)");
        }
        using (var series = file.CreateGroup("/processing/behavior/running_speed"))
        {
            Typed(series, "TimeSeries", "core", ids);
            series.WriteAttribute("comments", "no comments");
            series.WriteAttribute("description", "running speed");
            BehaviourData(series, speed, [speed.Length], "cm/s");
        }
        using (var position = file.CreateGroup("/processing/behavior/Position"))
            Typed(position, "Position", "core", ids);
        using (var series = file.CreateGroup("/processing/behavior/Position/position"))
        {
            Typed(series, "SpatialSeries", "core", ids);
            series.WriteAttribute("comments", "no comments");
            series.WriteAttribute("description", "position on a circular track");
            using (series.WriteString("reference_frame", "centre of the track")) { }
            BehaviourData(series, LocomotionModel.Position(speed), [speed.Length, 2], "cm");
        }
        Intervals(file, "behaviour_truth", "ground truth of the synthetic model: running (run) and resting (rest) bouts",
            [.. generator.Bouts.Select(b => (b.Start, b.Stop, b.Running ? "run" : "rest"))], ids);
    }

    private static void BehaviourData(Hdf5Group series, double[] values, long[] shape, string unit)
    {
        using (var data = series.CreateDataset<double>("data", shape))
        {
            data.WriteAll<double>(values);
            data.WriteAttribute("conversion", 1.0);
            data.WriteAttribute("offset", 0.0);
            data.WriteAttribute("resolution", -1.0);
            data.WriteAttribute("unit", unit);
        }
        using var startingTime = series.WriteScalar("starting_time", 0.0);
        startingTime.WriteAttribute("rate", SyntheticModel.BehaviourRateHz);
        startingTime.WriteAttribute("unit", "seconds");
    }

    private static void Intervals(Hdf5File file, string name, string description, IReadOnlyList<(double Start, double Stop, string Tag)> rows, SynthRandom ids)
    {
        using var table = file.CreateGroup($"/intervals/{name}");
        table.WriteAttribute("colnames", ["start_time", "stop_time", "tags"]);
        table.WriteAttribute("description", description);
        Typed(table, "TimeIntervals", "core", ids);
        Ids(table, [.. Enumerable.Range(0, rows.Count).Select(i => (long)i)], ids);
        NumericColumn(table, "start_time", [.. rows.Select(r => r.Start)], "Start time of epoch, in seconds", ids);
        NumericColumn(table, "stop_time", [.. rows.Select(r => r.Stop)], "Stop time of epoch, in seconds", ids);
        using (var c = table.WriteStrings("tags", [.. rows.Select(r => r.Tag)])) Column(c, "user-defined tags", ids);
        Index(table, "tags_index", "tags", [.. Enumerable.Range(1, rows.Count).Select(i => (long)i)], ids);
    }

    /// <summary>"ketamine 10 mg/kg i.p. at 240 s" (saline: "saline i.p. at 240 s").</summary>
    public static string Pharmacology(SyntheticSessionSpec spec)
    {
        var dose = spec.Drug.DoseMgKg > 0 ? $" {spec.Drug.DoseMgKg.ToString(CultureInfo.InvariantCulture)} mg/kg" : "";
        return $"{spec.Drug.Name}{dose} i.p. at {spec.InjectionSeconds.ToString(CultureInfo.InvariantCulture)} s";
    }

    private static void Typed(Hdf5Object target, string type, string ns, SynthRandom ids) => NwbLayout.Typed(target, type, ns, ObjectId(ids));

    private static void Column(Hdf5Object column, string description, SynthRandom ids, string type = "VectorData") =>
        NwbLayout.Column(column, description, ObjectId(ids), type);

    private static void NumericColumn(Hdf5Group table, string name, double[] values, string description, SynthRandom ids)
    {
        using var c = table.CreateDataset<double>(name, [values.Length]);
        c.WriteAll<double>(values);
        Column(c, description, ids);
    }

    private static void Ids(Hdf5Group table, long[] values, SynthRandom ids)
    {
        using var c = table.CreateDataset<long>("id", [values.Length]);
        c.WriteAll<long>(values);
        Typed(c, "ElementIdentifiers", "hdmf-common", ids);
    }

    /// <summary>A VectorIndex in the smallest unsigned type that holds its largest value, as pynwb writes it.</summary>
    private static void Index(Hdf5Group table, string name, string target, long[] ends, SynthRandom ids)
    {
        var max = ends.Length == 0 ? 0 : ends[^1];
        using var c = max <= byte.MaxValue ? Create<byte>(table, name, ends, v => (byte)v)
            : max <= ushort.MaxValue ? Create<ushort>(table, name, ends, v => (ushort)v)
            : max <= uint.MaxValue ? Create<uint>(table, name, ends, v => (uint)v)
            : Create<ulong>(table, name, ends, v => (ulong)v);
        Column(c, $"Index for VectorData '{target}'", ids, "VectorIndex");
        c.WriteReferenceAttribute("target", $"{table.Path}/{target}");

        static Hdf5Dataset Create<T>(Hdf5Group table, string name, long[] values, Func<long, T> convert) where T : unmanaged
        {
            var dataset = table.CreateDataset<T>(name, [values.Length]);
            dataset.WriteAll<T>([.. values.Select(convert)]);
            return dataset;
        }
    }

    /// <summary>A UUID drawn from the session's id stream (deterministic, unlike pynwb's).</summary>
    private static string ObjectId(SynthRandom ids)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, ids.NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], ids.NextUInt64());
        return NwbLayout.Uuid(bytes);
    }
}
