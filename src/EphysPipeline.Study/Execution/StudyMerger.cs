using System.Reflection;
using System.Text;
using System.Text.Json;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Assembles the study-level outputs from the per-session folders, in manifest order: metrics.csv, pairs.csv,
/// units.csv, sessions.csv, spectra.h5 and provenance.json. Running it again on the same folders gives the same
/// bytes (provenance.json aside, which records times), so a sharded cluster run merges to what one machine writes.
/// </summary>
public static class StudyMerger
{
    public const string Provenance = "provenance.json";
    public const string StudyPointer = "study.json";

    /// <summary>Records which manifest an output folder belongs to, so `ephys merge OUTPUT_DIR` can find it.</summary>
    public static void WritePointer(StudyManifest manifest) =>
        AtomicFile.WriteText(Path.Combine(manifest.OutputDirectory, StudyPointer),
            JsonSerializer.Serialize(new { manifest = manifest.SourcePath }) + "\n");

    /// <summary>The manifest path recorded in an output folder by a run (or a shard of one).</summary>
    public static string ManifestOf(string outputDirectory)
    {
        var pointer = Path.Combine(outputDirectory, StudyPointer);
        if (!File.Exists(pointer))
            throw new Core.EphysInputException(outputDirectory, StudyPointer, "not an ephys output folder (no study.json: run `ephys run` first)");
        using var doc = JsonDocument.Parse(File.ReadAllText(pointer));
        return doc.RootElement.GetProperty("manifest").GetString()
            ?? throw new Core.EphysInputException(outputDirectory, StudyPointer, "no manifest path recorded");
    }

    /// <summary>Writes the study outputs; returns the sessions whose NWB file (outputs.nwb) was left out, with why.</summary>
    public static IReadOnlyList<(string Session, string Reason)> Merge(StudyManifest manifest, AnalysisConfig config, string commandLine, DateTimeOffset started)
    {
        var output = manifest.OutputDirectory;
        // Each output's write time goes into provenance.json ("merge_s"), which is written last.
        var timer = new WriteTimer();
        bool probes = manifest.HasProbes;
        var tables = new[] { (Tables.Metrics, Tables.MetricsHeaderFor(probes)), (Tables.Pairs, Tables.PairsHeaderFor(probes)), (Tables.Units, Tables.UnitsHeaderFor(probes)) };
        foreach (var (name, header) in tables)
            timer.Time(name, () => AtomicFile.Write(Path.Combine(output, name), stream => Concatenate(manifest, name, header, stream)));

        var sessions = new StringBuilder(Tables.HeaderLine(Tables.SessionsHeaderFor(manifest.StateNames)));
        var records = new List<object>();
        var spectraFiles = new List<(string Session, string Path)>();
        foreach (var spec in manifest.Sessions)
        {
            var folder = SessionStore.Folder(output, spec.Id);
            var record = SessionStore.ReadRecord(folder);
            if (record is null)
            {
                var key = new SessionKey(spec.Id, spec.Subject, spec.Drug, spec.DoseMgKg);
                sessions.Append(Tables.Format(key, new SessionSummary("not_run", "", "no results yet (run this session)", double.NaN, double.NaN, 0, 0, [], []) { States = manifest.StateNames }, header: false));
                records.Add(new { session = spec.Id, status = "not_run" });
                continue;
            }
            sessions.Append(Body(Path.Combine(folder, Tables.Sessions)));
            records.Add(new { session = spec.Id, status = record.Status, stage = record.Stage, reason = record.Reason, runtime_s = record.RuntimeSeconds, timings_s = record.Timings, warnings = record.Warnings, fingerprint = record.Fingerprint, backends = record.Backends });
            var spectra = Path.Combine(folder, SessionStore.SpectraFile);
            if (File.Exists(spectra)) spectraFiles.Add((spec.Id, spectra));
        }
        AtomicFile.WriteText(Path.Combine(output, Tables.Sessions), sessions.ToString());

        var studySpectra = Path.Combine(output, SessionStore.SpectraFile);
        if (spectraFiles.Count > 0) timer.Time(SessionStore.SpectraFile, () => AtomicFile.WriteVia(studySpectra, temp => SpectraFile.Combine(temp, spectraFiles)));
        else AtomicFile.Delete(studySpectra);

        if (config.Outputs.Formats.Contains("parquet"))
            foreach (var name in new[] { Tables.Metrics, Tables.Pairs, Tables.Units, Tables.Sessions })
                timer.Time(Path.ChangeExtension(name, ".parquet"), () => ParquetTables.ConvertAll(output, [name]));
        IReadOnlyList<(string Session, string Reason)> skipped = [];
        if (config.Outputs.Nwb) timer.Time(NwbExport.FileName, () => skipped = NwbExport.WriteAll(manifest));
        WriteProvenance(manifest, config, commandLine, started, records, timer.Seconds);
        return skipped;
    }

    // Streams each finished session's rows (its file minus the header line): memory does not grow with the study.
    private static void Concatenate(StudyManifest manifest, string table, string[] header, Stream output)
    {
        output.Write(Encoding.UTF8.GetBytes(Tables.HeaderLine(header)));
        foreach (var spec in manifest.Sessions)
        {
            var path = Path.Combine(SessionStore.Folder(manifest.OutputDirectory, spec.Id), table);
            if (SessionStore.ReadRecord(Path.GetDirectoryName(path)!) is null || !File.Exists(path)) continue;
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            int b;
            while ((b = input.ReadByte()) >= 0 && b != '\n') { }
            input.CopyTo(output);
        }
    }

    private static string Body(string csvPath)
    {
        var text = File.ReadAllText(csvPath);
        int firstLineEnd = text.IndexOf('\n');
        return firstLineEnd < 0 ? "" : text[(firstLineEnd + 1)..];
    }

    private static void WriteProvenance(StudyManifest manifest, AnalysisConfig config, string commandLine, DateTimeOffset started, List<object> sessions, Dictionary<string, double> mergeTimings)
    {
        var version = typeof(StudyMerger).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var provenance = new
        {
            software = new { name = "EphysPipeline", version, runtime = Environment.Version.ToString(), os = Environment.OSVersion.ToString() },
            study = manifest.Name,
            manifest = manifest.SourcePath,
            command_line = commandLine,
            started_utc = started.ToString("O"),
            finished_utc = DateTimeOffset.UtcNow.ToString("O"),
            config_sha256 = ConfigLoader.Hash(config),
            config = JsonDocument.Parse(ConfigLoader.ToCanonicalJson(config)).RootElement,
            epochs = manifest.Epochs,
            reference_epoch = manifest.ReferenceEpoch,
            control = manifest.Control,
            inputs = manifest.Sessions.Where(s => File.Exists(s.File)).Select(s => Fingerprint.DescribeFile(s.File)).ToList(),
            sessions,
            merge_s = mergeTimings,
        };
        AtomicFile.WriteText(Path.Combine(manifest.OutputDirectory, Provenance),
            JsonSerializer.Serialize(provenance, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
