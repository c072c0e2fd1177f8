using System.Globalization;
using System.Text;
using CsvHelper;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// The CSV dialect of every output table: comma-separated, '\n' line ends, RFC 4180 quoting, invariant culture,
/// shortest round-trip doubles, NaN as "NaN" and infinities as "inf"/"-inf" (what pandas and R read).
/// </summary>
public static class CsvFormat
{
    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        bool quote = value.AsSpan().IndexOfAny(",\"\n\r") >= 0;
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static double ParseNumber(string text) => text switch
    {
        "NaN" or "" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Splits one CSV line written by this dialect (quoted cells allowed).</summary>
    public static List<string> SplitLine(string line) => ParseRecords(line) is [var record, ..] ? [.. record] : [""];

    /// <summary>
    /// The records of a CSV text in this dialect: RFC 4180 quoting (a quoted cell may hold commas, quotes and line
    /// breaks), '\n' or '\r\n' line ends; empty lines hold no record.
    /// </summary>
    public static List<string[]> ParseRecords(string text)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    if (any || cell.Length > 0) { cells.Add(cell.ToString()); records.Add([.. cells]); }
                    cells.Clear(); cell.Clear(); any = false;
                    break;
                default: cell.Append(c); any = true; break;
            }
        }
        if (any || cell.Length > 0) { cells.Add(cell.ToString()); records.Add([.. cells]); }
        return records;
    }
}

/// <summary>
/// Writes one table row at a time in the <see cref="CsvFormat"/> dialect through CsvHelper, which formats cells as
/// UTF-8 straight into its buffer: 2× faster than the hand-written writer it replaced on pairs.csv (a high-density
/// probe gives millions of pair rows; docs/benchmarks.md). Dispose it to flush the rows into the writer.
/// </summary>
public sealed class CsvRowWriter(TextWriter writer) : IDisposable
{
    private static readonly CsvWriterOptions Dialect = CsvWriterOptions.Default with { NewLine = "\n" };
    private readonly CsvWriter _csv = CsvWriter.Create(writer, Dialect, leaveOpen: true);

    public void Text(string? value) => _csv.WriteField(value ?? "");

    public void Number(double value)
    {
        // CsvHelper's default double text is the shortest round-trip one, as CsvFormat.Number; NaN and ±inf are the dialect's.
        if (double.IsFinite(value)) _csv.WriteField(value, default);
        else _csv.WriteField(CsvFormat.Number(value));
    }

    public void Number(long value) => _csv.WriteField(value, default);

    /// <summary>Ends the row.</summary>
    public void End() => _csv.EndRecord();

    public void Dispose() => _csv.Dispose();
}
