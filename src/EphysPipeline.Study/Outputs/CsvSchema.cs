using System.Globalization;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// The column types of a finished CSV table, from one streaming pass: int64 if every non-empty cell is an integer,
/// double if every cell is a number (NaN, inf, -inf included), else text. Labels stay text whatever they look like
/// (a session id "1" is not a number) and values stay doubles. Shared by the Parquet and NWB copies of the tables.
/// </summary>
internal static class CsvSchema
{
    public enum Kind { Int64, Double, Text }

    private static readonly HashSet<string> TextColumns =
        ["session", "subject", "drug", "epoch", "state", "probe", "probe_a", "probe_b", "region", "region_a", "region_b", "band", "measure", "metric", "status", "stage", "reason", "bad_channels"];
    private static readonly HashSet<string> DoubleColumns = ["dose_mg_kg", "value"];

    /// <summary>Header, kind per column, and whether a column has empty cells.</summary>
    public static (string[] Header, Kind[] Kinds, bool[] Nullable) Infer(string csvPath)
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

    public static void Check(string csvPath, CsvRecordReader reader, int width)
    {
        if (reader.Count != width) throw new InvalidDataException($"{csvPath}: a row has {reader.Count} cells, the header {width}");
    }

    private static bool IsNumber(ReadOnlySpan<char> cell) =>
        cell is "NaN" or "inf" or "-inf" || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
