using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// outputs.nwb: each finished session's results as an NWB file beside them (sessions/&lt;id&gt;/ephys_metrics.nwb):
/// /processing/ephys_metrics holds the session's metrics, pairs, units and sessions tables (the same rows and order as
/// its CSVs, typed as in Parquet) and a psd table (one row per epoch (× state) × channel). The recording is only read.
/// </summary>
public static class NwbExport
{
    public const string FileName = "ephys_metrics.nwb";
    public const string Module = "ephys_metrics";
    public const string PsdTable = "psd";

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["session"] = "session id (manifest)",
        ["subject"] = "subject id",
        ["drug"] = "drug of the session",
        ["dose_mg_kg"] = "dose, mg/kg",
        ["epoch"] = "epoch (manifest epochs, relative to the injection)",
        ["state"] = "behavioural state ('all': every clean window of the epoch)",
        ["channel"] = "electrode id (the recording's electrodes table id)",
        ["channel_a"] = "first electrode id of the pair",
        ["channel_b"] = "second electrode id of the pair",
        ["probe"] = "probe (series) of the channel, in sessions of several probes",
        ["probe_a"] = "probe of channel_a",
        ["probe_b"] = "probe of channel_b",
        ["region"] = "electrode location",
        ["region_a"] = "location of channel_a",
        ["region_b"] = "location of channel_b",
        ["metric"] = "metric name (docs/outputs.md, metrics.csv)",
        ["measure"] = "pair measure (docs/outputs.md, pairs.csv)",
        ["band"] = "frequency band",
        ["value"] = "metric value (units in docs/outputs.md)",
        ["status"] = "ok, or why the value is NaN",
        ["frequency"] = "frequency of each PSD bin, Hz",
        ["power"] = "Welch power spectral density, V^2/Hz",
    };

    /// <summary>
    /// Writes the file of every finished session that lacks one (a session analysed again deletes its old file).
    /// Returns each session left out with why: its recording is not NWB, or could not be read.
    /// </summary>
    public static IReadOnlyList<(string Session, string Reason)> WriteAll(StudyManifest manifest)
    {
        var skipped = new List<(string, string)>();
        foreach (var spec in manifest.Sessions)
        {
            var folder = SessionStore.Folder(manifest.OutputDirectory, spec.Id);
            var target = Path.Combine(folder, FileName);
            if (SessionStore.ReadRecord(folder) is not { Status: "ok" } || File.Exists(target)) continue;
            try
            {
                if (!NwbDerivedFile.IsNwb(spec.File))
                {
                    skipped.Add((spec.Id, $"no {FileName}: {spec.File} is not an NWB file"));
                    continue;
                }
                var tables = ReadTables(folder);
                var description = $"EphysPipeline results for session {spec.Id} ({Path.GetFileName(spec.File)}): metrics, pairs, units, "
                    + "sessions and psd tables, as in the study's CSV files (docs/outputs.md)";
                AtomicFile.Write(target, stream => NwbDerivedFile.Write(stream, spec.File, Module, description, tables));
            }
            catch (EphysInputException error)
            {
                skipped.Add((spec.Id, $"no {FileName}: {error.Message}"));
            }
        }
        return skipped;
    }

    /// <summary>The tables of a finished session folder, in the order they are written.</summary>
    public static IReadOnlyList<NwbTable> ReadTables(string folder)
    {
        var tables = new List<NwbTable>();
        foreach (var (name, what) in new[] { (Tables.Metrics, "per-channel metrics per epoch"), (Tables.Pairs, "pair measures per epoch"),
                     (Tables.Units, "spike-field locking and firing rates per unit and epoch"), (Tables.Sessions, "the session's epochs and quality") })
        {
            var csv = Path.Combine(folder, name);
            if (File.Exists(csv)) tables.Add(FromCsv(csv, Path.GetFileNameWithoutExtension(name), $"{what} (rows of {name})"));
        }
        var spectra = Path.Combine(folder, SessionStore.SpectraFile);
        if (File.Exists(spectra) && Psd(spectra) is { } psd) tables.Add(psd);
        return tables;
    }

    // Integer columns with empty cells become doubles with NaN (NWB columns have no nulls); empty text stays "".
    private static NwbTable FromCsv(string csvPath, string name, string description)
    {
        var (header, kinds, nullable) = CsvSchema.Infer(csvPath);
        var width = header.Length;
        var text = new List<string>?[width];
        var integers = new List<long>?[width];
        var numbers = new List<double>?[width];
        for (var c = 0; c < width; c++)
        {
            if (kinds[c] == CsvSchema.Kind.Text) text[c] = [];
            else if (kinds[c] == CsvSchema.Kind.Int64 && !nullable[c]) integers[c] = [];
            else numbers[c] = [];
        }
        var interned = new Dictionary<string, string>();
        var lookup = interned.GetAlternateLookup<ReadOnlySpan<char>>();
        var rows = 0;
        using (var reader = new CsvRecordReader(new StreamReader(csvPath)))
        {
            reader.Next();
            for (; reader.Next(); rows++)
            {
                CsvSchema.Check(csvPath, reader, width);
                for (var c = 0; c < width; c++)
                {
                    var cell = reader[c];
                    if (text[c] is { } t) t.Add(lookup.TryGetValue(cell, out var s) ? s : interned[cell.ToString()] = cell.ToString());
                    else if (integers[c] is { } l) l.Add(long.Parse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                    else numbers[c]!.Add(cell.IsEmpty ? double.NaN : CsvFormat.ParseNumber(cell));
                }
            }
        }
        var nwbColumns = header.Select((h, c) => new NwbColumn(h, Describe(h),
            text[c] is { } t ? t.ToArray() : integers[c] is { } l ? (Array)l.ToArray() : numbers[c]!.ToArray())).ToList();
        return new NwbTable(name, description, rows, nwbColumns);
    }

    private static string Describe(string column) =>
        Descriptions.TryGetValue(column, out var d) ? d
        : column.StartsWith("time_", StringComparison.Ordinal) ? "seconds of the epoch in the state"
        : $"{column} (docs/outputs.md)";

    // One row per epoch (× state) × channel; the spectrogram stays in spectra.h5.
    private static NwbTable? Psd(string spectraPath)
    {
        var arrays = SpectraFile.Read(spectraPath).Where(a => a.Times is null && a.Epoch is not null).ToList();
        if (arrays.Count == 0) return null;
        var bins = arrays[0].Frequencies.Length;
        if (arrays.Any(a => !a.Frequencies.AsSpan().SequenceEqual(arrays[0].Frequencies)))
            throw new InvalidDataException($"{spectraPath}: PSDs on different frequency grids");
        var rows = arrays.Sum(a => a.Channels.Length);
        var epoch = new string[rows];
        var state = new string[rows];
        var channel = new long[rows];
        var region = new string[rows];
        var frequency = new double[rows * bins];
        var power = new double[rows * bins];
        var row = 0;
        foreach (var a in arrays)
        {
            for (var i = 0; i < a.Channels.Length; i++, row++)
            {
                epoch[row] = a.Epoch!;
                state[row] = a.State ?? StateNames.All;
                channel[row] = a.Channels[i];
                region[row] = a.Regions[i];
                a.Frequencies.CopyTo(frequency, row * bins);
                a.Values.AsSpan(i * bins, bins).CopyTo(power.AsSpan(row * bins));
            }
        }
        return new NwbTable(PsdTable, "Welch PSD per epoch (and state) and channel, as in spectra.h5", rows,
        [
            new("epoch", Describe("epoch"), epoch),
            new("state", Describe("state"), state),
            new("channel", Describe("channel"), channel),
            new("region", Describe("region"), region),
            new("frequency", Describe("frequency"), frequency, bins),
            new("power", Describe("power"), power, bins),
        ]);
    }
}
