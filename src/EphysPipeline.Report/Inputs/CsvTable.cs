using System.Globalization;
using System.Text;

namespace EphysPipeline.Report.Inputs;

/// <summary>
/// A study table read by header name, in the output CSV dialect (docs/outputs.md: RFC 4180 quoting, NaN / inf / -inf).
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string[] header, List<string[]> rows)
    {
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++) _columns.TryAdd(header[i], i);
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>Index of a required column; a missing one is a bad input file.</summary>
    public int Column(string name, string file) =>
        _columns.TryGetValue(name, out int i) ? i
            : throw new Core.EphysInputException(file, name, $"the table has no '{name}' column");

    public static CsvTable Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    public static CsvTable Parse(string text)
    {
        var records = Study.Outputs.CsvFormat.ParseRecords(text);
        if (records.Count == 0) return new CsvTable([], []);
        var header = records[0];
        records.RemoveAt(0);
        // Short rows (a truncated last line) read as empty cells rather than failing the whole comparison.
        for (int r = 0; r < records.Count; r++)
            if (records[r].Length < header.Length) records[r] = [.. records[r], .. new string[header.Length - records[r].Length].Select(_ => "")];
        return new CsvTable(header, records);
    }

    public static double Number(string text) => text switch
    {
        "NaN" or "nan" or "" => double.NaN,
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
    };
}
