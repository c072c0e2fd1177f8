using System.CommandLine;
using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.IO;
using Spectre.Console;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys inspect FILE [--layout plain.yaml] [--scan]`: what a recording holds (series, channels and regions, units,
/// epochs, subject, pharmacology) without analysing it. Spectre tables on a terminal, plain text when redirected.
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "NWB file, plain HDF5 file with --layout (.kwd files use the Open Ephys layout), or a session folder of NWB files" };
        var layout = new Option<FileInfo?>("--layout") { Description = "YAML layout of a plain (non-NWB) HDF5 file: dataset, sample_rate[_attribute], orientation, scale_*" };
        var scan = new Option<bool>("--scan") { Description = "Read every sample and count NaN/Inf values" };
        var inProcess = new Option<bool>("--in-process") { Description = "Read the file in this process, not in a child process (for debugging: a native crash then ends inspect)" };
        // The parent's terminal (width:colour system) for a child that renders tables into a pipe.
        var terminal = new Option<string?>("--terminal") { Hidden = true };
        // A folder's child: one file's summary as a JSON line.
        var summary = new Option<bool>("--summary-json") { Hidden = true };
        var command = new Command("inspect", "Show the series, channels, regions, units, epochs, subject and pharmacology of a recording, or every series of a session folder")
        {
            file, layout, scan, inProcess, terminal, summary,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!.FullName;
            string? layoutPath = parse.GetValue(layout)?.FullName;
            if (Directory.Exists(path))
            {
                if (layoutPath is not null || parse.GetValue(scan)) throw new EphysInputException(path, null, "--layout and --scan apply to one file, not a folder");
                return InspectFolder.Run(path, parse.GetValue<bool>("--verbose"));
            }
            if (parse.GetValue(summary))
            {
                InspectFolder.WriteSummary(path, Console.Out);
                return EphysCli.Ok;
            }
            if (!parse.GetValue(inProcess)) return InChild(path, layoutPath, parse.GetValue(scan), parse.GetValue<bool>("--verbose"));
            FaultInjection.At(FaultInjection.ProbeVariable, System.IO.Path.GetFileName(path));
            var report = Build(path, layoutPath, parse.GetValue(scan));
            if (parse.GetValue(terminal) is { } parent) report.WriteTables(Terminal(parent));
            else if (Console.IsOutputRedirected) report.WritePlain(Console.Out);
            else report.WriteTables(AnsiConsole.Console);
            return EphysCli.Ok;
        });
        return command;
    }

    /// <summary>
    /// Reads the file in a child `ephys inspect --in-process`: libhdf5 can crash on malformed metadata, and a crash
    /// there is then this file's error, not a dead process.
    /// </summary>
    private static int InChild(string path, string? layoutPath, bool scan, bool verbose)
    {
        var args = new List<string> { "inspect", path, "--in-process" };
        if (layoutPath is not null) args.AddRange(["--layout", layoutPath]);
        if (scan) args.Add("--scan");
        if (verbose) args.Add("--verbose");
        if (!Console.IsOutputRedirected)
            args.AddRange(["--terminal", $"{AnsiConsole.Profile.Width}:{(int)AnsiConsole.Profile.Capabilities.ColorSystem}"]);
        var outcome = ChildProcess.Run(args, Console.Out.WriteLine);
        if (outcome.Death is { } death)
            throw new EphysInputException(path, null, $"{death} while reading it: the file is damaged or malformed (libhdf5 could not parse it)");
        if (outcome.ExitCode != EphysCli.Ok) throw new ChildFailedException(outcome.ExitCode, outcome.Errors);
        foreach (var line in outcome.Errors) Console.Error.WriteLine(line);
        return EphysCli.Ok;
    }

    private static IAnsiConsole Terminal(string parent)
    {
        var parts = parent.Split(':');
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = (ColorSystemSupport)int.Parse(parts[1], CultureInfo.InvariantCulture),
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return console;
    }

    /// <summary>Reads what inspect shows; bad input throws <see cref="EphysInputException"/>.</summary>
    public static InspectReport Build(string path, string? layoutPath, bool scan)
    {
        var report = new InspectReport(path);
        if (layoutPath is not null || (path.EndsWith(".kwd", StringComparison.OrdinalIgnoreCase) && File.Exists(path)))
        {
            var layout = layoutPath is null ? PlainHdf5Layout.OpenEphysKwd : PlainHdf5Layout.LoadYaml(layoutPath);
            report.Format = layoutPath is null ? "plain HDF5 (Open Ephys .kwd layout)" : $"plain HDF5 (layout {Path.GetFileName(layoutPath)})";
            using var recording = layout.Open(path);
            report.AddSeries(recording, null, scan);
            return report;
        }
        using var nwb = NwbFile.Open(path);
        report.Format = "NWB";
        report.Metadata = nwb.ReadMetadata();
        foreach (var series in nwb.Series)
        {
            try
            {
                using var recording = nwb.OpenSeries(series.Path);
                report.AddSeries(recording, series.Path, scan);
            }
            catch (EphysInputException error)
            {
                report.SeriesProblems.Add((series.Path, error.Problem, error.Dataset));
            }
        }
        if (nwb.Series.Count == 0) report.Notes.Add($"no ElectricalSeries; file contains {nwb.DescribeContents()}");
        try
        {
            report.Units = nwb.ReadUnits();
        }
        catch (EphysInputException error)
        {
            report.Notes.Add($"units unreadable: {error.Dataset}: {error.Problem}");
        }
        report.Intervals = nwb.ReadIntervals();
        AddStateSources(nwb, report);
        return report;
    }

    /// <summary>What a manifest state could use: behavioural series and interval tables (tags, columns).</summary>
    private static void AddStateSources(NwbFile nwb, InspectReport report)
    {
        try
        {
            foreach (var s in nwb.BehaviouralSeries)
            {
                string rate = s.Rate is { } r ? r.ToString("G6", CultureInfo.InvariantCulture) + " Hz" : "timestamps";
                string span = $"{s.StartS.ToString("G6", CultureInfo.InvariantCulture)}–{s.EndS.ToString("G6", CultureInfo.InvariantCulture)} s";
                string quantity = s.Width > 1 || s.Type == "SpatialSeries" ? ", quantity: speed" : "";
                report.StateSources.Add(["series", s.Path, $"{s.Type}, {s.Samples} × {s.Width} {s.Unit}, {rate}, {span}",
                    $"{{series: {s.Name}{quantity}, above: …, min_bout_s: …}}"]);
            }
        }
        catch (EphysInputException error)
        {
            report.Notes.Add($"behavioural series unreadable: {error.Dataset}: {error.Problem}");
        }
        foreach (var table in nwb.IntervalTables())
        {
            var tags = table.HasTags && report.Intervals.TryGetValue(table.Name, out var rows)
                ? rows.SelectMany(r => r.Tags).Distinct().Order(StringComparer.Ordinal).ToList() : [];
            string what = $"{table.Rows} row{(table.Rows == 1 ? "" : "s")}" + (tags.Count > 0 ? $"; tags {string.Join(", ", tags.Take(6))}{(tags.Count > 6 ? ", …" : "")}" : "")
                + (table.Columns.Count > 0 ? $"; columns {string.Join(", ", table.Columns)}" : "");
            string suggestion = tags.Count > 0 ? $"{{intervals: {table.Name}, tag: {tags[0]}}}"
                : table.Columns.Count > 0 ? $"{{intervals: {table.Name}, column: {table.Columns[0]}, value: …}}"
                : $"{{intervals: {table.Name}}}";
            report.StateSources.Add(["intervals", table.Path, what, suggestion]);
        }
    }
}

/// <summary>What `ephys inspect` prints, and its two renderings.</summary>
public sealed class InspectReport(string path)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string Path { get; } = path;
    public string Format { get; set; } = "";
    public SessionMetadata? Metadata { get; set; }
    public List<string[]> Series { get; } = [];
    public List<(string Series, IReadOnlyList<ChannelInfo> Channels)> Channels { get; } = [];
    public List<(string Series, string Problem, string? Dataset)> SeriesProblems { get; } = [];
    public IReadOnlyList<UnitInfo> Units { get; set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> Intervals { get; set; } = new Dictionary<string, IReadOnlyList<EpochInterval>>();
    public List<string> Notes { get; } = [];

    /// <summary>Rows of kind, path, description and a manifest states: entry using it.</summary>
    public List<string[]> StateSources { get; } = [];

    internal static readonly string[] SeriesHeader = ["series", "shape", "dtype", "rate (Hz)", "start (s)", "duration (s)", "storage", "V/unit", "NaN/Inf"];

    internal void AddSeries(Hdf5Recording recording, string? seriesPath, bool scan)
    {
        var name = seriesPath ?? recording.DatasetPath;
        var storage = recording.ChunkShape is { } chunks
            ? $"chunks {string.Join("×", chunks)}" + (recording.Filters.Count > 0 ? ", " + string.Join(", ", recording.Filters) : "")
            : "contiguous";
        var gains = recording.Gain.Distinct().ToArray();
        Series.Add([
            name,
            string.Join(" × ", recording.Shape),
            recording.ElementType.ToString(),
            recording.SampleRate.ToString("G10", Invariant),
            recording.StartTime.ToString("G10", Invariant),
            recording.Duration.ToString("F3", Invariant),
            storage,
            gains.Length == 1 ? gains[0].ToString("G6", Invariant) : $"per channel ({gains.Min().ToString("G3", Invariant)}–{gains.Max().ToString("G3", Invariant)})",
            scan ? recording.CountNonFinite().ToString(Invariant) : "not scanned",
        ]);
        Channels.Add((name, recording.Channels));
    }

    private IEnumerable<(string Title, string[] Header, List<string[]> Rows)> Sections()
    {
        var session = new List<string[]> { new[] { "file", Path }, new[] { "format", Format } };
        if (Metadata is { } m)
        {
            session.Add(["identifier", m.Identifier]);
            session.Add(["session start", m.SessionStartTime ?? "—"]);
            session.Add(["description", m.Description ?? "—"]);
            session.Add(["subject", m.SubjectId ?? "—"]);
            session.Add(["species", m.Species ?? "—"]);
            session.Add(["pharmacology", m.Pharmacology ?? "—"]);
        }
        yield return ("Session", ["field", "value"], session);
        yield return ("Series", SeriesHeader, Series);
        if (SeriesProblems.Count > 0)
            yield return ("Unusable series", ["series", "problem"],
                SeriesProblems.Select(p => (string[])[p.Series, p.Dataset is null ? p.Problem : $"{p.Dataset}: {p.Problem}"]).ToList());
        foreach (var (series, channels) in Channels)
        {
            var regions = channels.GroupBy(c => c.Region).Select(g => (string[])[g.Key, g.Count().ToString(Invariant), Ranges(g.Select(c => c.Index))]).ToList();
            yield return ($"Regions of {series}", ["region", "channels", "indices"], regions);
            if (channels.Count <= InspectReportLimits.MaxChannelRows)
                yield return ($"Channels of {series}", ["index", "electrode", "region", "group"],
                    channels.Select(c => (string[])[c.Index.ToString(Invariant), c.ElectrodeId.ToString(Invariant), c.Region, c.Group]).ToList());
        }
        if (Metadata is not null)
        {
            var byRegion = Units.GroupBy(u => u.Region).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (string[])[g.Key, g.Count().ToString(Invariant), g.Sum(u => u.SpikeCount).ToString(Invariant)]).ToList();
            byRegion.Add(["total", Units.Count.ToString(Invariant), Units.Sum(u => u.SpikeCount).ToString(Invariant)]);
            yield return ("Units", ["region", "units", "spikes"], byRegion);
            var intervals = new List<string[]>();
            foreach (var (table, rows) in Intervals)
            {
                if (rows.Count <= 20)
                    intervals.AddRange(rows.Select(r => (string[])[table, r.Start.ToString("G10", Invariant), r.Stop.ToString("G10", Invariant), string.Join(", ", r.Tags)]));
                else
                    intervals.Add([table, $"{rows.Count} rows", $"{rows.Min(r => r.Start).ToString("G10", Invariant)}–{rows.Max(r => r.Stop).ToString("G10", Invariant)} s", ""]);
            }
            yield return ("Intervals", ["table", "start (s)", "stop (s)", "tags"], intervals);
            yield return ("State sources (manifest states:, docs/study.md)", ["kind", "path", "what", "state entry"], StateSources);
        }
        if (Notes.Count > 0) yield return ("Notes", ["note"], Notes.Select(n => new[] { n }).ToList());
    }

    /// <summary>Plain text: a title line, then tab-free columns padded with spaces.</summary>
    public void WritePlain(TextWriter output) => ReportTables.WritePlain(Sections(), output);

    /// <summary>Spectre.Console tables for a terminal.</summary>
    public void WriteTables(IAnsiConsole console) => ReportTables.WriteTables(Sections(), console);

    internal static string Ranges(IEnumerable<int> indices)
    {
        var sorted = indices.Order().ToArray();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? sorted[i].ToString(Invariant) : $"{sorted[i]}–{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}

internal static class InspectReportLimits
{
    /// <summary>Above this many channels only the region summary is shown.</summary>
    internal const int MaxChannelRows = 64;
}

/// <summary>Titled tables as plain text or Spectre.Console tables (inspect's two renderings).</summary>
internal static class ReportTables
{
    /// <summary>Plain text: a title line, then tab-free columns padded with spaces.</summary>
    public static void WritePlain(IEnumerable<(string Title, string[] Header, List<string[]> Rows)> sections, TextWriter output)
    {
        foreach (var (title, header, rows) in sections)
        {
            output.WriteLine($"== {title}");
            if (rows.Count == 0)
            {
                output.WriteLine("(none)");
                output.WriteLine();
                continue;
            }
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
            output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
            foreach (var row in rows)
                output.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
            output.WriteLine();
        }
    }

    /// <summary>Spectre.Console tables for a terminal.</summary>
    public static void WriteTables(IEnumerable<(string Title, string[] Header, List<string[]> Rows)> sections, IAnsiConsole console)
    {
        foreach (var (title, header, rows) in sections)
        {
            var table = new Table().Title($"[bold]{Markup.Escape(title)}[/]").Border(TableBorder.Rounded);
            foreach (var h in header) table.AddColumn(Markup.Escape(h));
            if (rows.Count == 0) table.AddRow(header.Select((_, i) => i == 0 ? "(none)" : "").ToArray());
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            console.Write(table);
        }
    }
}
