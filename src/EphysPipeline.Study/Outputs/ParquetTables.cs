using System.Globalization;
using ParquetSharp;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// Streams a finished CSV table (the canonical output) into a Parquet file beside it: a first pass infers each
/// column's type (<see cref="CsvSchema"/>), a second writes row groups of ~64 MB of values; never a whole table in memory. Same rows, same
/// order; an empty cell is null. ParquetSharp (Arrow C++) was measured ~10× faster than Parquet.Net (docs/outputs.md).
/// </summary>
public static class ParquetTables
{
    private const int MaxRowGroup = 1 << 20;
    private const long RowGroupBytes = 64L << 20;

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
        var (header, kinds, nullable) = CsvSchema.Infer(csvPath);
        AtomicFile.WriteVia(PathFor(csvPath), temp => Write(csvPath, temp, header, kinds, nullable));
    }

    private static Column ColumnOf(string name, CsvSchema.Kind kind, bool nullable) => kind switch
    {
        CsvSchema.Kind.Text => new Column<string>(name),
        CsvSchema.Kind.Int64 => nullable ? new Column<long?>(name) : new Column<long>(name),
        _ => nullable ? new Column<double?>(name) : new Column<double>(name),
    };

    private static void Write(string csvPath, string parquetPath, string[] header, CsvSchema.Kind[] kinds, bool[] nullable)
    {
        int width = header.Length;
        int groupRows = (int)Math.Clamp(RowGroupBytes / (16L * width), 1 << 16, MaxRowGroup);
        var columns = header.Select((h, c) => ColumnOf(h, kinds[c], nullable[c])).ToArray();
        // No created-at time or random id goes in: the same CSV gives the same bytes.
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Zstd).EnableDictionary().Build();
        using var file = new ParquetFileWriter(parquetPath, columns, properties);
        var buffers = kinds.Select((k, c) => (Array)(k switch
        {
            CsvSchema.Kind.Text => new string?[groupRows],
            CsvSchema.Kind.Int64 => nullable[c] ? new long?[groupRows] : new long[groupRows],
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
                CsvSchema.Check(csvPath, reader, width);
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
