using DuckDB.NET.Data;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;
using EphysPipeline.Study.Tests.Execution;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Outputs;

/// <summary>Parquet copies of the tables, read back with DuckDB (an independent reader) and compared cell by cell.</summary>
[Collection(SyntheticStudyCollection.Name)]
public sealed class ParquetTablesTests(SyntheticStudyFixture study)
{
    [Fact]
    public void Every_study_table_converts_and_reads_back_identically_in_DuckDB()
    {
        using var dir = Fixtures.TempDir();
        foreach (var name in new[] { Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions })
        {
            var csv = Path.Combine(dir.Path, name);
            File.Copy(Path.Combine(study.Output, name), csv);
            ParquetTables.Convert(csv);
            AssertSameAsCsv(csv);
        }
    }

    [Fact]
    public void Typed_columns_nulls_quotes_and_non_finite_values_survive()
    {
        using var dir = Fixtures.TempDir();
        var csv = Path.Combine(dir.Path, "t.csv");
        File.WriteAllText(csv, "session,channel,value,count,note\n1,3,NaN,,\"a, \"\"b\"\"\nline\"\n2,-4,inf,7,\n3,5,-inf,8,x\n");
        ParquetTables.Convert(csv);
        var types = AssertSameAsCsv(csv);
        Assert.Equal(["VARCHAR", "BIGINT", "DOUBLE", "BIGINT", "VARCHAR"], types);
    }

    [Fact]
    public void Same_csv_gives_byte_identical_parquet()
    {
        using var dir = Fixtures.TempDir();
        var csv = Path.Combine(dir.Path, Tables.Metrics);
        File.Copy(Path.Combine(study.Output, Tables.Metrics), csv);
        ParquetTables.Convert(csv);
        var first = File.ReadAllBytes(ParquetTables.PathFor(csv));
        ParquetTables.Convert(csv);
        Assert.Equal(first, File.ReadAllBytes(ParquetTables.PathFor(csv)));
    }

    [Fact]
    public void Outputs_section_does_not_change_the_config_hash()
    {
        var parquet = new AnalysisConfig { Outputs = new OutputsSection { Formats = ["csv", "parquet"] } };
        Assert.Equal(ConfigLoader.Hash(new AnalysisConfig()), ConfigLoader.Hash(parquet));
        Assert.Contains("\"outputs\"", ConfigLoader.ToCanonicalJson(parquet));
        Assert.NotEmpty(ConfigLoader.Check(new AnalysisConfig { Outputs = new OutputsSection { Formats = ["parquet"] } }));
    }

    [Fact]
    public void A_study_run_with_parquet_writes_every_table_beside_its_csv()
    {
        var manifestPath = study.CopyStudy("parquet-run");
        var manifest = ManifestLoader.Load(manifestPath);
        var config = ConfigLoader.Load(manifest.AnalysisPath);
        config.Outputs.Formats = ["csv", "parquet"];
        new StudyRunner(manifest, config, TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 2 });
        foreach (var name in new[] { Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions })
            AssertSameAsCsv(Path.Combine(manifest.OutputDirectory, name));
    }

    /// <summary>Compares every cell DuckDB reads from the Parquet file with the CSV; returns the DuckDB column types.</summary>
    private static List<string> AssertSameAsCsv(string csv)
    {
        var records = CsvFormat.ParseRecords(File.ReadAllText(csv));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{ParquetTables.PathFor(csv)}')";
        using var reader = command.ExecuteReader();
        var header = records[0];
        Assert.Equal(header, Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var types = Enumerable.Range(0, reader.FieldCount).Select(c => reader.GetDataTypeName(c).ToUpperInvariant()).ToList();
        int row = 1;
        while (reader.Read())
        {
            var cells = records[row++];
            for (int c = 0; c < header.Length; c++)
            {
                var cell = cells[c];
                if (cell.Length == 0) { Assert.True(reader.IsDBNull(c), $"{csv} row {row} {header[c]}: expected null"); continue; }
                object value = reader.GetValue(c);
                switch (types[c])
                {
                    case "BIGINT": Assert.Equal(long.Parse(cell, System.Globalization.CultureInfo.InvariantCulture), (long)value); break;
                    case "DOUBLE": Assert.Equal(BitConverter.DoubleToInt64Bits(CsvFormat.ParseNumber(cell)), BitConverter.DoubleToInt64Bits((double)value)); break;
                    case "VARCHAR": Assert.Equal(cell, (string)value); break;
                    default: Assert.Fail($"{header[c]}: unexpected type {types[c]}"); break;
                }
            }
        }
        Assert.Equal(records.Count, row);
        return types;
    }
}
