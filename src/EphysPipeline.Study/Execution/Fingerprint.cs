using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Identifies a session's inputs: the resolved analysis config, the session's manifest entry and epochs, and the
/// recording (size, modification time, SHA-256 of its first and last MiB). A finished session whose fingerprint
/// still matches is skipped on rerun.
/// </summary>
public static class Fingerprint
{
    private const int Edge = 1 << 20;

    public static string OfSession(SessionSpec session, StudyManifest manifest, string configHash)
    {
        var (epochs, states, regions, units) = (manifest.Epochs, manifest.States, manifest.Regions, manifest.Units);
        var inputs = new Dictionary<string, object?>
        {
            ["config"] = configHash,
            ["session"] = session with { File = Path.GetFileName(session.File) },
            ["epochs"] = epochs,
        };
        AddIdentity(inputs, session.File);
        // Only when there are states, so that studies without any keep their fingerprints (and their finished sessions).
        if (states.Count > 0) inputs["states"] = states;
        if (session.InjectionTable is { } table) inputs["injection_table"] = table;
        if (session.Probes is { } probes)
            inputs["probes"] = probes.Select(p => AddIdentity(new Dictionary<string, object?>
            {
                ["name"] = p.Name, ["series"] = p.Series, ["file"] = Path.GetFileName(p.File),
            }, p.File)).ToList();
        // The tables' probe columns: a session of one series in a study with several-probe sessions has them too.
        if (manifest.HasProbes) inputs["probe_columns"] = true;
        if (regions is { IsNone: false }) inputs["regions"] = regions;
        if (units is { IsNone: false }) inputs["units"] = units;
        return Sha256(JsonSerializer.Serialize(inputs));
    }

    /// <summary>Adds a file's size, modification time and the hashes of its first and last MiB.</summary>
    private static Dictionary<string, object?> AddIdentity(Dictionary<string, object?> inputs, string path)
    {
        var info = new FileInfo(path);
        inputs["size"] = info.Length;
        inputs["mtime"] = info.LastWriteTimeUtc.Ticks;
        inputs["head"] = HashRange(path, 0, (int)Math.Min(Edge, info.Length));
        inputs["tail"] = HashRange(path, Math.Max(0, info.Length - Edge), (int)Math.Min(Edge, info.Length));
        return inputs;
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Size, modification time and edge hashes of an input file, for provenance.json.</summary>
    public static object DescribeFile(string path)
    {
        var info = new FileInfo(path);
        return new
        {
            path,
            size = info.Length,
            modified_utc = info.LastWriteTimeUtc.ToString("O"),
            head_sha256 = HashRange(path, 0, (int)Math.Min(Edge, info.Length)),
            tail_sha256 = HashRange(path, Math.Max(0, info.Length - Edge), (int)Math.Min(Edge, info.Length)),
        };
    }

    private static string HashRange(string path, long offset, int count)
    {
        using var stream = File.OpenRead(path);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }
}
