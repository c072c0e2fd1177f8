using System.Globalization;
using System.Text;
using System.Text.Json;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Cli.Bench;

/// <summary>One study table after a bench run: its rows, CSV and Parquet sizes and the seconds spent writing each.</summary>
/// <param name="CsvSessionSeconds">Formatting and writing the session's CSV (session.json "write &lt;file&gt;").</param>
/// <param name="CsvMergeSeconds">Copying the session's rows into the study CSV (provenance.json merge_s).</param>
/// <param name="ParquetSeconds">Converting the study CSV to Parquet (merge_s); null when Parquet was not asked for.</param>
public sealed record OutputTable(string Name, long Rows, long CsvBytes, double? CsvSessionSeconds, double? CsvMergeSeconds,
    long? ParquetBytes, double? ParquetSeconds);

/// <summary>What `ephys bench --parquet` reports about the outputs: CSV against Parquet, per table.</summary>
public static class OutputSizes
{
    public static IReadOnlyList<OutputTable> Measure(string outputDirectory, string sessionJson)
    {
        var session = BenchReport.ReadStages(sessionJson);
        var merge = MergeTimings(Path.Combine(outputDirectory, StudyMerger.Provenance));
        var result = new List<OutputTable>();
        foreach (var name in new[] { Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions })
        {
            var csv = Path.Combine(outputDirectory, name);
            if (!File.Exists(csv)) continue;
            var parquet = ParquetTables.PathFor(csv);
            bool hasParquet = File.Exists(parquet);
            result.Add(new OutputTable(name, CountRows(csv), new FileInfo(csv).Length,
                session.TryGetValue("write " + name, out var s) ? s : null,
                merge.TryGetValue(name, out var m) ? m : null,
                hasParquet ? new FileInfo(parquet).Length : null,
                hasParquet && merge.TryGetValue(Path.GetFileName(parquet), out var p) ? p : null));
        }
        return result;
    }

    public static string Markdown(IReadOnlyList<OutputTable> tables)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| table | rows | CSV MB | CSV write s (session + study copy) | Parquet MB | Parquet write s | CSV / Parquet size |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var t in tables)
        {
            string csvTime = t.CsvSessionSeconds is { } s ? (s + (t.CsvMergeSeconds ?? 0)).ToString("F2", inv) + (t.CsvMergeSeconds is { } m ? string.Create(inv, $" ({s:F2} + {m:F2})") : "") : "–";
            md.AppendLine(inv, $"| {t.Name} | {t.Rows} | {t.CsvBytes / 1e6:F2} | {csvTime} | {(t.ParquetBytes is { } pb ? (pb / 1e6).ToString("F2", inv) : "–")} | " +
                $"{(t.ParquetSeconds is { } ps ? ps.ToString("F2", inv) : "–")} | {(t.ParquetBytes is { } b && b > 0 ? (t.CsvBytes / (double)b).ToString("F1", inv) + "×" : "–")} |");
        }
        return md.ToString();
    }

    private static Dictionary<string, double> MergeTimings(string provenance)
    {
        var result = new Dictionary<string, double>();
        if (!File.Exists(provenance)) return result;
        using var doc = JsonDocument.Parse(File.ReadAllText(provenance));
        if (doc.RootElement.TryGetProperty("merge_s", out var merge) && merge.ValueKind == JsonValueKind.Object)
            foreach (var p in merge.EnumerateObject()) result[p.Name] = p.Value.GetDouble();
        return result;
    }

    // Data rows counted as lines after the header.
    private static long CountRows(string csv)
    {
        using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) lines += buffer.AsSpan(0, n).Count((byte)'\n');
        return Math.Max(0, lines - 1);
    }
}
