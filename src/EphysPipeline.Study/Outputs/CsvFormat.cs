using System.Globalization;
using System.Text;

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
/// Writes one table row at a time straight to the writer in the <see cref="CsvFormat"/> dialect: no per-row cell
/// array and no number strings (a high-density probe gives millions of pair rows).
/// </summary>
public sealed class CsvRowWriter(TextWriter writer)
{
    private bool _open;

    public void Text(string? value)
    {
        Separate();
        writer.Write(CsvFormat.Text(value));
    }

    public void Number(double value)
    {
        Separate();
        Span<char> buffer = stackalloc char[32];
        if (double.IsFinite(value) && value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture))
            writer.Write(buffer[..written]);
        else
            writer.Write(CsvFormat.Number(value));
    }

    public void Number(long value)
    {
        Separate();
        Span<char> buffer = stackalloc char[20];
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        writer.Write(buffer[..written]);
    }

    /// <summary>Ends the row.</summary>
    public void End()
    {
        writer.Write('\n');
        _open = false;
    }

    private void Separate()
    {
        if (_open) writer.Write(',');
        _open = true;
    }
}
