using BenchmarkDotNet.Attributes;
using ParquetSharp;
using PNet = Parquet;

namespace EphysPipeline.Benchmarks.Outputs;

// Why: issue #18 asks for Parquet tables and a library picked on a measurement. This writes the same pairs table
// (session, subject, drug, epoch, band, measure: strings with few values; channel_a/b: int64; region_a/b: strings;
// value: double) with Parquet.Net 6 (managed) and ParquetSharp (Arrow C++ via P/Invoke), zstd, 1 Mi-row row groups,
// from column arrays already in memory, so only the library's encode + compress + write is timed. Allocated is
// managed memory only (MemoryDiagnoser); ParquetSharp's native buffers are not in it, so the file size and the
// benchmark process's peak RSS (VmHWM, both writers together) are printed at cleanup.
[MemoryDiagnoser]
public class ParquetWriteBenchmarks
{
    private const int RowGroup = 1 << 20;

    [Params(3_000_000)]
    public int Rows { get; set; }

    private string[][] _text = [];
    private long[] _a = [], _b = [];
    private double[] _value = [];
    private string _dir = "";

    private static readonly string[] TextNames = ["session", "subject", "drug", "epoch", "band", "measure", "region_a", "region_b"];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(18);
        string[] measures = ["plv", "wpli", "phase_diff_rad", "coherence", "coherency_abs", "imcoh"];
        string[] regions = ["CA1", "PFC", "S1", "V1"];
        _text = TextNames.Select(_ => new string[Rows]).ToArray();
        _a = new long[Rows]; _b = new long[Rows]; _value = new double[Rows];
        // 384 channels → 73,536 pairs per (epoch, band, measure), as a Neuropixels session is laid out.
        for (int i = 0, pair = 0; i < Rows; i++, pair = (pair + 1) % 73_536)
        {
            int block = i / 73_536;
            _text[0][i] = "s" + (block / 24); _text[1][i] = "m" + (block / 48); _text[2][i] = "ketamine";
            _text[3][i] = (block % 4) switch { 0 => "baseline", 1 => "early", 2 => "mid", _ => "late" };
            _text[4][i] = (block / 4 % 2) == 0 ? "theta" : "low_gamma";
            _text[5][i] = measures[block / 8 % measures.Length];
            int a = (int)(pair / 383.5), b = a + 1 + pair % 383 % (383 - Math.Min(a, 382));
            _a[i] = a; _b[i] = Math.Min(b, 383);
            _text[6][i] = regions[a * 4 / 384]; _text[7][i] = regions[(int)_b[i] * 4 / 384];
            _value[i] = rng.NextDouble();
        }
        _dir = Directory.CreateTempSubdirectory("parquet-bench-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var file in Directory.GetFiles(_dir))
            Console.WriteLine($"// {Path.GetFileName(file)}: {new FileInfo(file).Length / 1e6:F1} MB");
        Console.WriteLine("// " + File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)));
        Directory.Delete(_dir, true);
    }

    [Benchmark(Baseline = true)]
    public async Task ParquetNet()
    {
        var fields = TextNames.Take(6).Select(n => (PNet.Schema.DataField)new PNet.Schema.DataField<string>(n))
            .Append(new PNet.Schema.DataField<long>("channel_a")).Append(new PNet.Schema.DataField<long>("channel_b"))
            .Concat(TextNames.Skip(6).Select(n => new PNet.Schema.DataField<string>(n)))
            .Append(new PNet.Schema.DataField<double>("value")).ToArray();
        var schema = new PNet.Schema.ParquetSchema(fields);
        using var stream = File.Create(Path.Combine(_dir, "parquet-net.parquet"));
        var options = new PNet.ParquetOptions { CompressionMethod = PNet.CompressionMethod.Zstd };
        await using var writer = await PNet.ParquetWriter.CreateAsync(schema, stream, options);
        for (int start = 0; start < Rows; start += RowGroup)
        {
            int n = Math.Min(RowGroup, Rows - start);
            using var rg = writer.CreateRowGroup();
            for (int c = 0; c < 6; c++) await rg.WriteAsync(fields[c], new ArraySegment<string>(_text[c], start, n));
            await rg.WriteAsync(fields[6], new ReadOnlyMemory<long>(_a, start, n));
            await rg.WriteAsync(fields[7], new ReadOnlyMemory<long>(_b, start, n));
            await rg.WriteAsync(fields[8], new ArraySegment<string>(_text[6], start, n));
            await rg.WriteAsync(fields[9], new ArraySegment<string>(_text[7], start, n));
            await rg.WriteAsync(fields[10], new ReadOnlyMemory<double>(_value, start, n));
        }
    }

    [Benchmark]
    public void ParquetSharpArrow()
    {
        var columns = TextNames.Take(6).Select(n => (Column)new Column<string>(n))
            .Append(new Column<long>("channel_a")).Append(new Column<long>("channel_b"))
            .Concat(TextNames.Skip(6).Select(n => new Column<string>(n)))
            .Append(new Column<double>("value")).ToArray();
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Zstd).Build();
        using var file = new ParquetFileWriter(Path.Combine(_dir, "parquetsharp.parquet"), columns, properties);
        for (int start = 0; start < Rows; start += RowGroup)
        {
            int n = Math.Min(RowGroup, Rows - start);
            using var rg = file.AppendRowGroup();
            for (int c = 0; c < 6; c++) Text(rg, _text[c], start, n);
            Long(rg, _a, start, n);
            Long(rg, _b, start, n);
            Text(rg, _text[6], start, n);
            Text(rg, _text[7], start, n);
            using (var w = rg.NextColumn().LogicalWriter<double>()) w.WriteBatch(_value, start, n);
        }
        file.Close();
    }

    private static void Text(RowGroupWriter rg, string[] values, int start, int n)
    {
        using var w = rg.NextColumn().LogicalWriter<string>();
        w.WriteBatch(values, start, n);
    }

    private static void Long(RowGroupWriter rg, long[] values, int start, int n)
    {
        using var w = rg.NextColumn().LogicalWriter<long>();
        w.WriteBatch(values, start, n);
    }
}
