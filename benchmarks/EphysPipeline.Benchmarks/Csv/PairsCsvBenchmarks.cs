using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Benchmarks.Csv;

/// <summary>
/// Why: pairs.csv is the largest table (channel pairs × bands × measures × epochs: millions of rows on a Neuropixels
/// probe), so it decided whether CsvHelper replaces the hand-written row writer (it did: CsvRowWriter is on CsvHelper).
/// What: Rows pair rows written in the output dialect to a UTF-8 stream by the previous hand-written writer (baseline),
/// by Tables.Write (CsvHelper 34 through a StreamWriter, as the runner writes files) and by CsvHelper straight to the
/// stream; setup checks that all three write the same bytes.
/// </summary>
[MemoryDiagnoser]
public class PairsCsvBenchmarks
{
    private static readonly SessionKey Key = new("m01_ketamine", "m01", "ketamine", 10);
    private PairRow[] _rows = [];

    [Params(200_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        string[] measures = ["plv", "wpli", "coherence", "imag_coherency"];
        _rows = Enumerable.Range(0, Rows).Select(i => new PairRow(i % 3 == 0 ? "baseline" : "acute", i % 2 == 0 ? "theta" : "low_gamma",
            measures[i % 4], i % 384, (i * 7 + 1) % 384, "CA1", i % 5 == 0 ? "PFC, L5" : "PFC", i % 97 == 0 ? double.NaN : rng.NextDouble())).ToArray();
        var hand = Write(HandWritten);
        if (!hand.AsSpan().SequenceEqual(Write(CsvHelperWriter)) || !hand.AsSpan().SequenceEqual(Write(TablesWrite)))
            throw new InvalidOperationException("CsvHelper does not write the same bytes as the hand-written writer");
    }

    private static byte[] Write(Action<Stream> write)
    {
        using var memory = new MemoryStream();
        write(memory);
        return memory.ToArray();
    }

    [Benchmark(Baseline = true, Description = "hand-written row writer (previous)")]
    public void HandWritten() => HandWritten(Stream.Null);

    [Benchmark(Description = "Tables.Write: CsvHelper 34 through the StreamWriter")]
    public void TablesWrite() => TablesWrite(Stream.Null);

    [Benchmark(Description = "CsvHelper 34, UTF-8 straight to the stream")]
    public void CsvHelperWriter() => CsvHelperWriter(Stream.Null);

    private void HandWritten(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(Tables.HeaderLine(Tables.PairsHeader));
        var row = new HandWrittenCsvRowWriter(writer);
        foreach (var r in _rows)
        {
            row.Text(Key.Session); row.Text(Key.Subject); row.Text(Key.Drug); row.Text(r.Epoch); row.Text(r.Band);
            row.Text(r.Measure); row.Number(r.ChannelA); row.Number(r.ChannelB); row.Text(r.RegionA); row.Text(r.RegionB);
            row.Number(r.Value);
            row.End();
        }
    }

    private void TablesWrite(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        Tables.Write(writer, Key, _rows);
    }

    private void CsvHelperWriter(Stream stream)
    {
        using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        WritePairs(csv);
    }

    private void WritePairs(CsvWriter csv)
    {
        csv.WriteHeader(Tables.PairsHeader);
        foreach (var r in _rows)
        {
            csv.WriteField(Key.Session); csv.WriteField(Key.Subject); csv.WriteField(Key.Drug); csv.WriteField(r.Epoch);
            csv.WriteField(r.Band); csv.WriteField(r.Measure); csv.WriteField(r.ChannelA, default); csv.WriteField(r.ChannelB, default);
            csv.WriteField(r.RegionA); csv.WriteField(r.RegionB);
            // The dialect's NaN / inf / -inf; finite doubles are CsvHelper's shortest round-trip text, as in CsvRowWriter.
            if (double.IsFinite(r.Value)) csv.WriteField(r.Value, default);
            else csv.WriteField(CsvFormat.Number(r.Value));
            csv.EndRecord();
        }
    }
}
