using System.Globalization;
using System.Text.Json;
using EphysPipeline.Core;
using EphysPipeline.IO;
using Spectre.Console;

namespace EphysPipeline.Cli.Commands;

/// <summary>One NWB file of a session folder, as `ephys inspect FOLDER` lists it.</summary>
internal sealed record FileSummary(
    string File,
    string? Subject,
    string? Pharmacology,
    List<SeriesSummary> Series,
    int Units,
    List<IntervalSummary> Intervals,
    List<string> Problems);

internal sealed record SeriesSummary(string Path, string Name, double Rate, int Channels, List<string> Groups,
    Dictionary<string, int> Regions, double StartS, double EndS);

internal sealed record IntervalSummary(string Name, int Rows, double FirstStartS, List<string> Tags);

/// <summary>
/// `ephys inspect FOLDER`: every ElectricalSeries of every NWB file in a session folder (one child process per file,
/// so a file that crashes libhdf5 is reported and the others still listed) with probe, rate, channels, regions and
/// time span, then a manifest block to start from.
/// </summary>
internal static class InspectFolder
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The hidden child mode: one file's summary as one JSON line.</summary>
    public static void WriteSummary(string path, TextWriter output) => output.WriteLine(JsonSerializer.Serialize(Summarize(path), Json));

    public static int Run(string folder, bool verbose)
    {
        var files = Directory.EnumerateFiles(folder, "*.nwb").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new EphysInputException(folder, null, "the folder holds no .nwb file");
        var summaries = new List<FileSummary>();
        foreach (var file in files)
        {
            var lines = new List<string>();
            var args = new List<string> { "inspect", file, "--in-process", "--summary-json" };
            if (verbose) args.Add("--verbose");
            var outcome = ChildProcess.Run(args, lines.Add);
            var name = Path.GetFileName(file);
            if (outcome.ExitCode == EphysCli.Ok && lines.Count > 0)
                summaries.Add(JsonSerializer.Deserialize<FileSummary>(lines[^1], Json)! with { File = name });
            else
            {
                var why = outcome.Death is { } death ? $"{death} while reading it (damaged or malformed)"
                    : string.Join(" ", outcome.Errors.Where(e => !string.IsNullOrWhiteSpace(e)).Take(3)
                        .Select(e => e.StartsWith("ephys: ", StringComparison.Ordinal) ? e["ephys: ".Length..] : e));
                summaries.Add(new FileSummary(name, null, null, [], 0, [], [why.Length > 0 ? why : $"exit code {outcome.ExitCode}"]));
            }
        }
        var sections = Sections(folder, summaries).ToList();
        if (Console.IsOutputRedirected) ReportTables.WritePlain(sections, Console.Out);
        else ReportTables.WriteTables(sections, AnsiConsole.Console);
        return EphysCli.Ok;
    }

    internal static FileSummary Summarize(string path)
    {
        using var nwb = NwbFile.Open(path);
        var metadata = nwb.ReadMetadata();
        var series = new List<SeriesSummary>();
        var problems = new List<string>();
        foreach (var s in nwb.Series)
        {
            try
            {
                using var recording = nwb.OpenSeries(s.Path);
                var channels = recording.Channels;
                series.Add(new SeriesSummary(s.Path, s.Name, recording.SampleRate, channels.Count,
                    channels.Select(c => c.Group).Where(g => g.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList(),
                    channels.GroupBy(c => c.Region).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                    recording.StartTime, recording.StartTime + recording.Duration));
            }
            catch (EphysInputException error)
            {
                problems.Add($"{s.Path}: {error.Problem}");
            }
        }
        int units = 0;
        try
        {
            units = nwb.ReadUnits().Count;
        }
        catch (EphysInputException error)
        {
            problems.Add($"units: {error.Problem}");
        }
        var rows = nwb.ReadIntervals();
        var intervals = nwb.IntervalTables().Select(t =>
        {
            var r = rows.TryGetValue(t.Name, out var list) ? list : [];
            return new IntervalSummary(t.Name, t.Rows, r.Count > 0 ? r.Min(x => x.Start) : double.NaN,
                r.SelectMany(x => x.Tags).Distinct().Order(StringComparer.Ordinal).Take(8).ToList());
        }).ToList();
        return new FileSummary(Path.GetFileName(path), metadata.SubjectId, metadata.Pharmacology, series, units, intervals, problems);
    }

    private static IEnumerable<(string Title, string[] Header, List<string[]> Rows)> Sections(string folder, List<FileSummary> files)
    {
        yield return ($"Series in {folder}", ["file", "series", "probe (group)", "rate (Hz)", "channels", "regions", "start–end (s)"],
            files.SelectMany(f => f.Series.Select(s => (string[])[
                f.File, s.Path, string.Join(", ", s.Groups), s.Rate.ToString("G10", Invariant), s.Channels.ToString(Invariant),
                Regions(s.Regions), $"{s.StartS.ToString("F3", Invariant)}–{s.EndS.ToString("F3", Invariant)}",
            ])).ToList());
        yield return ("Files", ["file", "subject", "units", "interval tables", "problems"],
            files.Select(f => (string[])[
                f.File, f.Subject ?? "—", f.Units.ToString(Invariant),
                string.Join("; ", f.Intervals.Select(i => $"{i.Name} ({i.Rows}{(i.Tags.Count > 0 ? ", tags " + string.Join(", ", i.Tags) : "")})")),
                string.Join("; ", f.Problems),
            ]).ToList());
        var rates = files.SelectMany(f => f.Series).Select(s => s.Rate).Distinct().ToList();
        if (files.SelectMany(f => f.Series).Count() > 1)
        {
            double latestStart = files.SelectMany(f => f.Series).Max(s => s.StartS), earliestEnd = files.SelectMany(f => f.Series).Min(s => s.EndS);
            yield return ("Common span", ["what", "value"],
            [
                ["series", files.Sum(f => f.Series.Count).ToString(Invariant)],
                ["rates (Hz)", string.Join(", ", rates.Order().Select(r => r.ToString("G10", Invariant)))],
                ["time covered by every series (s)", earliestEnd > latestStart
                    ? $"{latestStart.ToString("F3", Invariant)}–{earliestEnd.ToString("F3", Invariant)} ({(earliestEnd - latestStart).ToString("F1", Invariant)} s)"
                    : "none: the series do not overlap"],
            ]);
        }
        yield return ("Suggested manifest block (fill in drug and dose; docs/study.md)", ["yaml"],
            Suggestion(folder, files).Select(l => new[] { l }).ToList());
    }

    private static string Regions(Dictionary<string, int> regions)
    {
        var parts = regions.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}").ToList();
        return parts.Count <= 6 ? string.Join(", ", parts) : string.Join(", ", parts.Take(6)) + $", … ({parts.Count} regions)";
    }

    private static IEnumerable<string> Suggestion(string folder, List<FileSummary> files)
    {
        // Where the injection is: a tag naming it, else a table named for it.
        var tagged = files.SelectMany(f => f.Intervals).SelectMany(i => i.Tags)
            .FirstOrDefault(t => t.Contains("inject", StringComparison.OrdinalIgnoreCase) || t.Equals("drug", StringComparison.OrdinalIgnoreCase));
        var table = files.SelectMany(f => f.Intervals).FirstOrDefault(i => i.Name.Contains("inject", StringComparison.OrdinalIgnoreCase) && i.Rows > 0);
        var injection = tagged is not null ? $"injection_tag: {tagged}"
            : table is not null ? $"injection_table: {table.Name}   # its first row: {table.FirstStartS.ToString("R", Invariant)} s"
            : "injection_s: …          # seconds on the file's clock";
        var series = files.SelectMany(f => f.Series.Select(s => (File: f, Series: s))).ToList();
        // The session's own file: the one with the units table, else the one with interval tables, else the first.
        var main = files.Where(f => f.Problems.Count == 0).OrderByDescending(f => f.Units).ThenByDescending(f => f.Intervals.Count).FirstOrDefault() ?? files[0];
        var subject = main.Subject ?? files.Select(f => f.Subject).FirstOrDefault(x => x is not null) ?? "…";
        yield return "sessions:";
        yield return $"  - id: {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)))}";
        yield return $"    file: {Path.Combine(folder, main.File)}";
        yield return $"    subject: {subject}";
        yield return "    drug: …" + (main.Pharmacology is { Length: > 0 } p ? $"                  # pharmacology: {p.ReplaceLineEndings(" ")}" : "");
        yield return $"    {injection}";
        if (series.Count == 1)
        {
            yield return $"    series: {series[0].Series.Path}";
            yield break;
        }
        yield return "    probes:";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, s) in series)
        {
            var name = names.Add(s.Name) ? s.Name : $"{Path.GetFileNameWithoutExtension(file.File)}-{s.Name}";
            names.Add(name);
            var where = file == main ? "" : $", file: {Path.Combine(folder, file.File)}";
            yield return $"      - {{name: {name}{where}, series: {s.Path}}}";
        }
    }
}
