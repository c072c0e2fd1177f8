using System.Globalization;
using ParquetSharp;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// Streams a finished CSV table (the canonical output) into a Parquet file beside it: a first pass infers each
/// column's type (int64 if every non-empty cell is an integer, double if every cell is a number incl. NaN/inf/-inf,
/// else string), a second writes row groups of ~64 MB of values; never a whole table in memory. Same rows, same
/// order; an empty cell is null. ParquetSharp (Arrow C++) was measured ~10× faster than Parquet.Net (docs/outputs.md).
/// </summary>
public static class ParquetTables
{
    private const int MaxRowGroup = 1 << 20;
    private const long RowGroupBytes = 64L << 20;

    private enum Kind { Int64, Double, Text }

    // Labels stay strings whatever they look like (a session id "1" is not a number); values stay doubles.
    private static readonly HashSet<string> TextColumns =
        ["session", "subject", "drug", "epoch", "state", "region", "region_a", "region_b", "band", "measure", "metric", "status", "stage", "reason", "bad_channels"];
    private static readonly HashSet<string> DoubleColumns = ["dose_mg_kg", "value"];

    public static string PathFor(string csvPath) => Path.ChangeExtension(csvPath, ".parquet");

    /// <summary>Converts each CSV that exists in <paramref name="directory"/> into &lt;name&gt;.parquet, atomically.</summary>
    public static void ConvertAll(string directory, IEnumerable<string> csvNames)
    {
        foreach (var name in csvNames)
        {
            var csv = Path.Combine(directory, name);
            if (File.Exists(csv)) Convert(csv);
        }
    }

    /// <summary>True when the run that wrote <paramref name="outputDirectory"/> asked for Parquet (its provenance.json config).</summary>
    public static bool Requested(string outputDirectory)
    {
        var provenance = Path.Combine(outputDirectory, "provenance.json");
        if (!File.Exists(provenance)) return false;
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(provenance));
        return doc.RootElement.TryGetProperty("config", out var config) && config.TryGetProperty("outputs", out var outputs)
            && outputs.TryGetProperty("formats", out var formats) && formats.EnumerateArray().Any(f => f.GetString() == "parquet");
    }

    public static void Convert(string csvPath)
    {
        var (header, kinds, nullable) = Infer(csvPath);
        AtomicFile.WriteVia(PathFor(csvPath), temp => Write(csvPath, temp, header, kinds, nullable));
    }

    private static (string[] Header, Kind[] Kinds, bool[] Nullable) Infer(string csvPath)
    {
        using var reader = new CsvRecordReader(new StreamReader(csvPath));
        if (!reader.Next()) throw new InvalidDataException($"{csvPath}: no header row");
        var header = Enumerable.Range(0, reader.Count).Select(i => reader[i].ToString()).ToArray();
        var kinds = header.Select(h => TextColumns.Contains(h) ? Kind.Text : DoubleColumns.Contains(h) ? Kind.Double : Kind.Int64).ToArray();
        var nullable = new bool[header.Length];
        var seen = new bool[header.Length];
        while (reader.Next())
        {
            Check(csvPath, reader, header.Length);
            for (int c = 0; c < header.Length; c++)
            {
                var cell = reader[c];
                if (cell.IsEmpty) { nullable[c] = true; continue; }
                seen[c] = true;
                if (kinds[c] == Kind.Int64 && !long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) kinds[c] = Kind.Double;
                if (kinds[c] == Kind.Double && !IsNumber(cell)) kinds[c] = Kind.Text;
            }
        }
        for (int c = 0; c < header.Length; c++)
            if (!seen[c] && !DoubleColumns.Contains(header[c])) kinds[c] = Kind.Text;
        return (header, kinds, nullable);
    }

    private static bool IsNumber(ReadOnlySpan<char> cell) =>
        cell is "NaN" or "inf" or "-inf" || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static void Check(string csvPath, CsvRecordReader reader, int width)
    {
        if (reader.Count != width) throw new InvalidDataException($"{csvPath}: a row has {reader.Count} cells, the header {width}");
    }

    private static Column ColumnOf(string name, Kind kind, bool nullable) => kind switch
    {
        Kind.Text => new Column<string>(name),
        Kind.Int64 => nullable ? new Column<long?>(name) : new Column<long>(name),
        _ => nullable ? new Column<double?>(name) : new Column<double>(name),
    };

    private static void Write(string csvPath, string parquetPath, string[] header, Kind[] kinds, bool[] nullable)
    {
        int width = header.Length;
        int groupRows = (int)Math.Clamp(RowGroupBytes / (16L * width), 1 << 16, MaxRowGroup);
        var columns = header.Select((h, c) => ColumnOf(h, kinds[c], nullable[c])).ToArray();
        // No created-at time or random id goes in: the same CSV gives the same bytes.
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Zstd).EnableDictionary().Build();
        using var file = new ParquetFileWriter(parquetPath, columns, properties);
        var buffers = kinds.Select((k, c) => (Array)(k switch
        {
            Kind.Text => new string?[groupRows],
            Kind.Int64 => nullable[c] ? new long?[groupRows] : new long[groupRows],
            _ => nullable[c] ? new double?[groupRows] : new double[groupRows],
        })).ToArray();
        var interned = kinds.Select(_ => new Dictionary<string, string>()).ToArray();

        using var reader = new CsvRecordReader(new StreamReader(csvPath));
        reader.Next();
        int rows = 0;
        while (true)
        {
            bool more = reader.Next();
            if (more)
            {
                Check(csvPath, reader, width);
                for (int c = 0; c < width; c++) Store(buffers[c], rows, reader[c], interned[c]);
                rows++;
            }
            if (rows == groupRows || (!more && rows > 0))
            {
                using var group = file.AppendRowGroup();
                for (int c = 0; c < width; c++) Flush(group, buffers[c], rows);
                rows = 0;
            }
            if (!more) break;
        }
        file.Close();
    }

    private static void Store(Array buffer, int row, ReadOnlySpan<char> cell, Dictionary<string, string> interned)
    {
        switch (buffer)
        {
            case string?[] text:
                if (cell.IsEmpty) { text[row] = null; break; }
                var lookup = interned.GetAlternateLookup<ReadOnlySpan<char>>();
                if (!lookup.TryGetValue(cell, out var value)) { value = cell.ToString(); interned[value] = value; }
                text[row] = value;
                break;
            case long[] l: l[row] = long.Parse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
            case long?[] l: l[row] = cell.IsEmpty ? null : long.Parse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
            case double[] d: d[row] = CsvFormat.ParseNumber(cell); break;
            case double?[] d: d[row] = cell.IsEmpty ? null : CsvFormat.ParseNumber(cell); break;
        }
    }

    private static void Flush(RowGroupWriter group, Array buffer, int rows)
    {
        switch (buffer)
        {
            case string?[] text: { using var w = group.NextColumn().LogicalWriter<string?>(); w.WriteBatch(text, 0, rows); break; }
            case long[] l: { using var w = group.NextColumn().LogicalWriter<long>(); w.WriteBatch(l, 0, rows); break; }
            case long?[] l: { using var w = group.NextColumn().LogicalWriter<long?>(); w.WriteBatch(l, 0, rows); break; }
            case double[] d: { using var w = group.NextColumn().LogicalWriter<double>(); w.WriteBatch(d, 0, rows); break; }
            case double?[] d: { using var w = group.NextColumn().LogicalWriter<double?>(); w.WriteBatch(d, 0, rows); break; }
        }
    }
}
