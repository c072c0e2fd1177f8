using System.Text.Json;
using System.Text.Json.Serialization;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>The status file written last into output/sessions/&lt;id&gt;/: its presence means the folder is complete.</summary>
public sealed record SessionRecord(
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("runtime_s")] double RuntimeSeconds,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings,
    [property: JsonPropertyName("timings_s")] IReadOnlyDictionary<string, double>? Timings = null,
    [property: JsonPropertyName("backends")] string? Backends = null);

/// <summary>Per-session results on disk: one folder per session, each file written atomically, session.json last.</summary>
public static class SessionStore
{
    public const string StatusFile = "session.json";
    public const string SpectraFile = "spectra.h5";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Folder(string outputDirectory, string session) => Path.Combine(outputDirectory, "sessions", session);

    public static SessionRecord? ReadRecord(string folder)
    {
        var path = Path.Combine(folder, StatusFile);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<SessionRecord>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    /// <summary>True when the folder holds a successful result for exactly these inputs.</summary>
    public static bool IsFinished(string folder, string fingerprint) =>
        ReadRecord(folder) is { Status: "ok" } record && record.Fingerprint == fingerprint;

    /// <summary>True when the folder holds a successful result, whatever inputs it came from.</summary>
    public static bool IsFinishedAnyFingerprint(string folder) => ReadRecord(folder) is { Status: "ok" };

    /// <summary>
    /// Writes a session's tables (and spectra through <paramref name="writeSpectra"/>), then its status file. A disk that
    /// refuses a write throws <see cref="Core.OutputWriteException"/> and leaves the folder without a status file (redone by a rerun).
    /// </summary>
    public static void Write(string folder, SessionKey key, SessionResult result, SessionRecord record, Action<Stream, IReadOnlyList<SpectralArray>>? writeSpectra)
    {
        AtomicFile.CreateDirectory(folder);
        // A stale status file must not vouch for the new, partly written folder.
        AtomicFile.Delete(Path.Combine(folder, StatusFile));
        AtomicFile.Delete(Path.Combine(folder, NwbExport.FileName));
        // Each file's write time goes into the status file ("write <file>"), beside the analysis steps.
        var timer = new WriteTimer();
        void Timed(string file, Action write) => timer.Time("write " + file, write);
        Timed(Tables.Metrics, () => AtomicFile.WriteText(Path.Combine(folder, Tables.Metrics), w => Tables.Write(w, key, result.Metrics)));
        Timed(Tables.Pairs, () => AtomicFile.WriteText(Path.Combine(folder, Tables.Pairs), w => Tables.Write(w, key, result.Pairs)));
        Timed(Tables.Units, () => AtomicFile.WriteText(Path.Combine(folder, Tables.Units), w => Tables.Write(w, key, result.Units)));
        Timed(Tables.Sessions, () => AtomicFile.WriteText(Path.Combine(folder, Tables.Sessions), w => Tables.Write(w, key, result.Summary)));
        var spectraPath = Path.Combine(folder, SpectraFile);
        if (writeSpectra is not null && result.Spectra.Count > 0) Timed(SpectraFile, () => AtomicFile.Write(spectraPath, stream => writeSpectra(stream, result.Spectra)));
        else AtomicFile.Delete(spectraPath);
        if (record.Timings is not null)
        {
            var timings = new Dictionary<string, double>(record.Timings);
            foreach (var (file, seconds) in timer.Seconds) timings[file] = seconds;
            record = record with { Timings = timings.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary() };
        }
        AtomicFile.WriteText(Path.Combine(folder, StatusFile), JsonSerializer.Serialize(record, Json) + "\n");
    }
}
