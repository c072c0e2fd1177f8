using System.Globalization;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Benchmarks.Csv;

/// <summary>
/// The hand-written row writer the tables used before CsvHelper (Study.Outputs.CsvRowWriter), kept as the baseline
/// of <see cref="PairsCsvBenchmarks"/>: cells straight to the TextWriter, no per-row cell array.
/// </summary>
public sealed class HandWrittenCsvRowWriter(TextWriter writer)
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
