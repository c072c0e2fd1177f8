using System.Collections.Concurrent;
using System.Text.Json;
using EphysPipeline.TestSupport;
using Xunit.Abstractions;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>
/// Seeded mutation fuzzing of the reference NWB files and the Kwik file: bytes flipped, zeroed or blown up (0xFF, so
/// lengths and dims become huge) in the superblock, object headers, B-tree nodes, heaps, attribute messages and chunk
/// data (offsets from tests/fixtures/fuzz/regions.json, made by make_regions.py beside it), and truncation. Each mutant
/// goes through `ephys inspect`, and every tenth runnable one through a one-session `ephys run`: exit 0 or 1 with one
/// line, never an internal error, a stack trace or a hang. EPHYS_FUZZ_MUTANTS and EPHYS_FUZZ_SEED set a longer run.
/// </summary>
// Runs alone: a child started while another test writes an HDF5 file would inherit that file's lock.
[Collection(SyntheticStudyCollection.Name)]
public class FuzzTests(ITestOutputHelper log)
{
    private static readonly string[] Kinds = ["superblock", "object_header", "btree", "heap", "attribute", "chunk", "truncate"];

    // Fixtures a one-session run can analyse with the manifest below (NWB with an ElectricalSeries of ≥ 120 s).
    private static readonly string[] Runnable = ["nwb/ketamine_m01.nwb", "nwb/saline_m01_timestamps.nwb"];

    private sealed record Region(long Start, long Length);

    private sealed record Mutant(int Index, string Fixture, string Description, byte[] Bytes);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    [Fact]
    public void MutantsGetExitZeroOrOneWithOneLineNeverACrashOrAHang()
    {
        int count = Setting("EPHYS_FUZZ_MUTANTS", 200);
        int seed = Setting("EPHYS_FUZZ_SEED", 20261206);
        using var dir = Fixtures.TempDir();
        var failures = new ConcurrentBag<string>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var crashes = new ConcurrentBag<string>();
        var started = DateTime.UtcNow;
        Parallel.ForEach(Generate(count, seed), new ParallelOptions { MaxDegreeOfParallelism = 2 }, mutant =>
        {
            var folder = Path.Combine(dir.Path, mutant.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, Path.GetFileName(mutant.Fixture));
            File.WriteAllBytes(file, mutant.Bytes);
            var what = $"#{mutant.Index} {mutant.Fixture}: {mutant.Description}";

            var inspect = Run(what, "inspect", file);
            outcomes.AddOrUpdate("inspect " + inspect.Outcome, 1, (_, n) => n + 1);
            if (inspect.Outcome == "crash contained") crashes.Add(what);
            if (inspect.Problem is { } problem) failures.Add($"{what}: inspect: {problem}");

            if (mutant.Index % 10 != 0 || !Runnable.Contains(mutant.Fixture)) return;
            var manifest = Path.Combine(folder, "study.yaml");
            File.WriteAllText(manifest, $"""
                study: fuzz
                control: saline
                epochs:
                  baseline: [-50, -5]
                  acute: [5, 55]
                sessions:
                  - {"{"}id: s1, file: {Path.GetFileName(file)}, subject: m01, drug: saline, injection_s: 60{"}"}
                """);
            var run = Run(what, "run", manifest, "--jobs", "1", "--threads", "1", "--quiet");
            outcomes.AddOrUpdate("run " + run.Outcome, 1, (_, n) => n + 1);
            if (run.Outcome == "crash contained") crashes.Add(what + " (run)");
            if (run.Problem is { } runProblem) failures.Add($"{what}: run: {runProblem}");
            Directory.Delete(folder, recursive: true);
        });
        log.WriteLine($"{count} mutants (seed {seed}) in {(DateTime.UtcNow - started).TotalSeconds:F0} s: "
                      + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        foreach (var crash in crashes.OrderBy(c => c, StringComparer.Ordinal)) log.WriteLine($"crash contained: {crash}");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
    }

    /// <summary>How a command took a mutant: "ok", "error", or "crash contained"; and what was wrong, if anything.</summary>
    private static (string Outcome, string? Problem) Run(string what, params string[] args)
    {
        EphysProcess.Result result;
        try
        {
            result = EphysProcess.Run(TimeSpan.FromSeconds(60), args);
        }
        catch (TimeoutException)
        {
            return ("hang", "no answer in 60 s");
        }
        var errors = result.ErrorLines;
        if (result.StandardError.Contains("internal error", StringComparison.Ordinal) || result.StandardError.Contains("   at ", StringComparison.Ordinal))
            return ("internal error", result.StandardError.Trim());
        if (result.ExitCode == 0) return ("ok", null);
        if (result.ExitCode != 1) return ($"exit {result.ExitCode}", $"exit {result.ExitCode}: {result.StandardError.Trim()}");
        if (args[0] == "inspect" && errors.Count != 1) return ("unclear", $"{errors.Count} error lines: {result.StandardError.Trim()}");
        return (result.StandardError.Contains("crashed:", StringComparison.Ordinal) ? "crash contained" : "error", null);
    }

    private static IEnumerable<Mutant> Generate(int count, int seed)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf("fuzz/regions.json")));
        var files = json.RootElement.EnumerateObject().Select(f => (Name: f.Name, Regions: f.Value.GetProperty("regions").EnumerateObject()
            .ToDictionary(k => k.Name, k => k.Value.EnumerateArray().Select(r => new Region(r[0].GetInt64(), r[1].GetInt64())).ToArray()))).ToArray();
        var originals = files.ToDictionary(f => f.Name, f => File.ReadAllBytes(Fixtures.PathOf(f.Name)));
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (name, regions) = files[i % files.Length];
            var bytes = (byte[])originals[name].Clone();
            var kind = Kinds[random.Next(Kinds.Length)];
            if (kind == "truncate" || regions[kind].Length == 0)
            {
                int length = random.Next(bytes.Length);
                yield return new Mutant(i, name, $"truncated to {length} of {bytes.Length} bytes", bytes[..length]);
                continue;
            }
            var region = regions[kind][random.Next(regions[kind].Length)];
            long at = Math.Min(region.Start + random.NextInt64(Math.Max(1, region.Length)), bytes.Length - 1);
            int span = (int)Math.Min(1 + random.Next(8), bytes.Length - at);
            string how;
            switch (random.Next(3))
            {
                case 0:
                    for (var b = 0; b < span; b++) bytes[at + random.Next(span)] ^= (byte)(1 << random.Next(8));
                    how = $"{span} bit(s) flipped";
                    break;
                case 1:
                    bytes.AsSpan((int)at, span).Clear();
                    how = $"{span} byte(s) zeroed";
                    break;
                default:
                    bytes.AsSpan((int)at, span).Fill(0xFF);
                    how = $"{span} byte(s) set to 0xFF";
                    break;
            }
            yield return new Mutant(i, name, $"{how} in {kind} at {at}", bytes);
        }
    }
}
