using System.Globalization;
using EphysPipeline.Core;
using EphysPipeline.Study.Outputs;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EphysPipeline.Study.Manifest;

/// <summary>
/// Reads a study manifest (YAML, optionally with a CSV session sheet) and checks everything that can be checked
/// without opening the recordings. Every problem is collected, so a user fixes them all in one go.
/// </summary>
public static class ManifestLoader
{
    private static readonly string[] CsvColumns =
        ["id", "file", "subject", "drug", "dose_mg_kg", "injection_s", "injection_tag", "injection_table", "series", "channels", "bad_channels", "layout"];

    /// <summary>Loads and checks a manifest; throws <see cref="StudyValidationException"/> listing every problem.</summary>
    public static StudyManifest Load(string path)
    {
        var problems = new List<string>();
        var manifest = TryLoad(path, problems);
        if (problems.Count > 0 || manifest is null) throw new StudyValidationException(path, problems);
        return manifest;
    }

    internal static T ParseYaml<T>(string path, string text)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        try
        {
            return deserializer.Deserialize<T>(text) ?? throw new EphysInputException(path, null, "the file is empty");
        }
        catch (YamlException e)
        {
            var what = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            if (what.StartsWith("Property '", StringComparison.Ordinal) && what.Contains("not found on type", StringComparison.Ordinal))
                what = "unknown key " + what["Property ".Length..what.IndexOf(" not found", StringComparison.Ordinal)];
            throw new EphysInputException(path, $"line {e.Start.Line}, column {e.Start.Column}", what, e);
        }
    }

    private static StudyManifest? TryLoad(string path, List<string> problems)
    {
        if (!File.Exists(path)) throw new EphysInputException(path, null, "study manifest not found");
        var fullPath = Path.GetFullPath(path);
        var baseDir = Path.GetDirectoryName(fullPath)!;
        var doc = ParseYaml<ManifestDocument>(fullPath, File.ReadAllText(fullPath));

        if (doc.Schema != 1) problems.Add($"schema: version {doc.Schema} is not supported (this build reads schema 1)");
        if (string.IsNullOrWhiteSpace(doc.Study)) problems.Add("study: a study name is required");

        var epochs = new List<EpochWindow>();
        if (doc.Epochs is null || doc.Epochs.Count == 0) problems.Add("epochs: at least one epoch is required, e.g. baseline: [-1200, -60]");
        else
        {
            foreach (var (name, bounds) in doc.Epochs)
            {
                if (bounds is null || bounds.Count != 2 || !double.IsFinite(bounds[0]) || !double.IsFinite(bounds[1]))
                    problems.Add($"epochs.{name}: give [start, end] in seconds relative to the injection");
                else if (bounds[1] <= bounds[0])
                    problems.Add($"epochs.{name}: end ({bounds[1]}) must be after start ({bounds[0]})");
                else epochs.Add(new EpochWindow(name, bounds[0], bounds[1]));
            }
            var sorted = epochs.OrderBy(e => e.Start).ToList();
            for (int i = 1; i < sorted.Count; i++)
            {
                if (sorted[i].Start < sorted[i - 1].End)
                    problems.Add($"epochs: {sorted[i - 1].Name} [{sorted[i - 1].Start}, {sorted[i - 1].End}) and {sorted[i].Name} [{sorted[i].Start}, {sorted[i].End}) overlap");
            }
        }

        var referenceEpoch = doc.ReferenceEpoch ?? epochs.FirstOrDefault()?.Name ?? "baseline";
        if (epochs.Count > 0 && epochs.All(e => e.Name != referenceEpoch))
            problems.Add($"reference_epoch: '{referenceEpoch}' is not one of the epochs ({string.Join(", ", epochs.Select(e => e.Name))})");

        var sessions = new List<SessionSpec>();
        foreach (var (session, index) in (doc.Sessions ?? []).Select((s, i) => (s, i)))
            AddSession(session, $"sessions[{index}]", baseDir, sessions, problems);
        if (doc.SessionsCsv is not null) ReadSessionSheet(Resolve(baseDir, doc.SessionsCsv), baseDir, sessions, problems);
        if (sessions.Count == 0 && problems.Count == 0) problems.Add("sessions: the study has no sessions (give sessions: or sessions_csv:)");

        foreach (var duplicate in sessions.GroupBy(s => s.Id).Where(g => g.Count() > 1))
            problems.Add($"sessions: id '{duplicate.Key}' is used {duplicate.Count()} times");

        var control = doc.Control ?? "saline";
        if (sessions.Count > 0 && sessions.All(s => !string.Equals(s.Drug, control, StringComparison.OrdinalIgnoreCase)))
            problems.Add($"control: no session has the control drug '{control}'");

        string? analysis = doc.Analysis is null ? null : Resolve(baseDir, doc.Analysis);
        if (analysis is not null && !File.Exists(analysis)) problems.Add($"analysis: {analysis} not found");

        return new StudyManifest(
            fullPath,
            doc.Study ?? "",
            Resolve(baseDir, doc.Output ?? "output"),
            analysis,
            control,
            referenceEpoch,
            epochs,
            sessions)
        { States = ReadStates(doc.States, problems), Regions = ReadRegions(doc, problems), Units = ReadUnitFilter(doc.Units, problems) };
    }

    private static UnitFilter ReadUnitFilter(UnitsDocument? doc, List<string> problems)
    {
        if (doc is null) return UnitFilter.None;
        if (doc.Equal is null && doc.Min is null && doc.Max is null)
            problems.Add("units: give equal: (e.g. {quality: good}), min: and/or max: (e.g. {isi_violations: 0.5}) over units-table columns");
        var equal = new List<KeyValuePair<string, string>>();
        foreach (var (column, value) in doc.Equal ?? [])
        {
            if (value is null) problems.Add($"units.equal.{column}: give the value to keep");
            else equal.Add(new(column, value));
        }
        List<KeyValuePair<string, double>> Bounds(Dictionary<string, string?>? bounds, string key)
        {
            var list = new List<KeyValuePair<string, double>>();
            foreach (var (column, value) in bounds ?? [])
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) list.Add(new(column, v));
                else problems.Add($"units.{key}.{column}: '{value}' is not a number");
            }
            return list;
        }
        return new UnitFilter(equal, Bounds(doc.Min, "min"), Bounds(doc.Max, "max"));
    }

    private static RegionSelection ReadRegions(ManifestDocument doc, List<string> problems)
    {
        var groups = new List<RegionGroup>();
        foreach (var (name, patterns) in doc.RegionGroups ?? [])
        {
            var where = $"region_groups.{name}";
            if (string.IsNullOrWhiteSpace(name)) problems.Add("region_groups: a group needs a name");
            else if (patterns is null || patterns.Count == 0 || patterns.Any(string.IsNullOrWhiteSpace))
                problems.Add($"{where}: list the electrode locations it groups, e.g. [CA1, CA3, DG] ('*' matches any characters)");
            else groups.Add(new RegionGroup(name, patterns.Select(p => p.Trim()).ToList()));
        }
        int step = 1;
        int? max = null;
        if (doc.ChannelsPerRegion is { } c)
        {
            if (c.Step is null && c.Max is null) problems.Add("channels_per_region: give step: (every n-th channel of each region) and/or max: (at most n per region)");
            if (c.Step is < 1) problems.Add($"channels_per_region.step must be ≥ 1, got {c.Step}");
            if (c.Max is < 1) problems.Add($"channels_per_region.max must be ≥ 1, got {c.Max}");
            step = Math.Max(1, c.Step ?? 1);
            max = c.Max is >= 1 ? c.Max : null;
        }
        return new RegionSelection(groups, step, max);
    }

    private static List<StateDefinition> ReadStates(Dictionary<string, StateDocument?>? documents, List<string> problems)
    {
        var states = new List<StateDefinition>();
        foreach (var (name, d) in documents ?? [])
        {
            var where = $"states.{name}";
            int before = problems.Count;
            if (name == StateDefinition.All) problems.Add($"{where}: '{StateDefinition.All}' is the name of the unstratified value; choose another");
            else if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                problems.Add($"{where}: a state name is letters, digits, '_' or '-' (it becomes a column name)");
            if (d is null)
            {
                problems.Add($"{where}: give intervals:, series: or lfp_ratio:");
                continue;
            }
            int sources = (d.Intervals is null ? 0 : 1) + (d.Series is null ? 0 : 1) + (d.LfpRatio is null ? 0 : 1);
            if (sources != 1) problems.Add($"{where}: give exactly one of intervals: (a table), series: (a behavioural series) or lfp_ratio:");
            var kind = d.Intervals is not null ? StateSourceKind.Intervals : d.Series is not null ? StateSourceKind.Series : StateSourceKind.LfpRatio;
            bool thresholded = kind != StateSourceKind.Intervals;
            if (kind == StateSourceKind.Intervals)
            {
                if (d.Tag is not null && (d.Column is not null || d.Value is not null))
                    problems.Add($"{where}: give tag: or column: with value:, not both");
                if ((d.Column is null) != (d.Value is null)) problems.Add($"{where}: column: and value: go together");
                if (d.Above is not null || d.Below is not null || d.Hysteresis is not null || d.SmoothS is not null || d.Quantity is not null)
                    problems.Add($"{where}: above/below/hysteresis/smooth_s/quantity apply to series: and lfp_ratio: states only");
                if (d.Around is not null && !(d.Around is { Count: 2 } a && double.IsFinite(a[0]) && double.IsFinite(a[1]) && a[1] > a[0]))
                    problems.Add($"{where}: around: is [from, to] in s relative to each row's start, with from < to");
            }
            else if (d.Around is not null) problems.Add($"{where}: around: applies to intervals: states only");
            else
            {
                if (d.Tag is not null || d.Column is not null || d.Value is not null)
                    problems.Add($"{where}: tag/column/value apply to intervals: states only");
                if ((d.Above is null) == (d.Below is null)) problems.Add($"{where}: give exactly one of above: or below: (the threshold)");
                foreach (var (key, value) in new[] { ("above", d.Above), ("below", d.Below) })
                    if (value is { } v && !double.IsFinite(v)) problems.Add($"{where}: {key} must be a number");
                if (d.Quantity is not null && d.Quantity is not ("speed" or "value"))
                    problems.Add($"{where}: quantity is speed or value, not '{d.Quantity}'");
                if (kind == StateSourceKind.LfpRatio && d.Quantity is not null) problems.Add($"{where}: quantity applies to series: states only");
            }
            foreach (var (key, value) in new[] { ("hysteresis", d.Hysteresis), ("min_bout_s", d.MinBoutS), ("smooth_s", d.SmoothS), ("min_time_s", d.MinTimeS) })
                if (value is { } v && (!double.IsFinite(v) || v < 0)) problems.Add($"{where}: {key} must be ≥ 0");

            double[]? numerator = null, denominator = null;
            if (d.LfpRatio is { } ratio)
            {
                numerator = BandRange(ratio.Numerator, $"{where}.lfp_ratio.numerator", problems);
                denominator = BandRange(ratio.Denominator, $"{where}.lfp_ratio.denominator", problems);
                if (ratio.WindowS is { } w && (!double.IsFinite(w) || w <= 0)) problems.Add($"{where}.lfp_ratio.window_s must be > 0");
            }
            if (problems.Count > before) continue;
            states.Add(new StateDefinition(name, kind)
            {
                Table = d.Intervals, Tag = d.Tag, Column = d.Column, Value = d.Value, AroundS = d.Around?.ToArray(),
                Series = d.Series, Quantity = d.Quantity,
                NumeratorHz = numerator, DenominatorHz = denominator, Region = d.LfpRatio?.Region, WindowS = d.LfpRatio?.WindowS ?? 2,
                Above = d.Above, Below = d.Below, Hysteresis = thresholded ? d.Hysteresis ?? 0 : 0, MinBoutS = d.MinBoutS ?? 0,
                SmoothS = d.SmoothS ?? 0, MinTimeS = d.MinTimeS ?? 10,
            });
        }
        return states;
    }

    private static double[]? BandRange(List<double>? range, string where, List<string> problems)
    {
        if (range is { Count: 2 } && double.IsFinite(range[0]) && range[0] >= 0 && range[1] > range[0]) return [range[0], range[1]];
        problems.Add($"{where}: give [low, high] in Hz with 0 ≤ low < high");
        return null;
    }

    private static void AddSession(SessionDocument s, string where, string baseDir, List<SessionSpec> sessions, List<string> problems)
    {
        var label = s.Id is null ? where : $"{where} ({s.Id})";
        int before = problems.Count;
        if (string.IsNullOrWhiteSpace(s.Id)) problems.Add($"{where}: id is required");
        else if (s.Id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || s.Id is "." or "..")
            problems.Add($"{label}: id must be usable as a folder name");
        if (string.IsNullOrWhiteSpace(s.File)) problems.Add($"{label}: file is required");
        if (string.IsNullOrWhiteSpace(s.Subject)) problems.Add($"{label}: subject is required");
        if (string.IsNullOrWhiteSpace(s.Drug)) problems.Add($"{label}: drug is required");
        if (s.DoseMgKg is { } dose && (!double.IsFinite(dose) || dose < 0)) problems.Add($"{label}: dose_mg_kg must be ≥ 0");
        int injections = (s.InjectionS is null ? 0 : 1) + (s.InjectionTag is null ? 0 : 1) + (s.InjectionTable is null ? 0 : 1);
        if (injections == 0)
            problems.Add($"{label}: give injection_s (seconds), injection_tag (an interval tag in the file) or injection_table (an /intervals table whose first row is the injection)");
        else if (injections > 1) problems.Add($"{label}: give one of injection_s, injection_tag and injection_table");
        if (s.InjectionS is { } inj && !double.IsFinite(inj)) problems.Add($"{label}: injection_s must be a number");

        var file = s.File is null ? "" : Resolve(baseDir, s.File);
        if (s.File is not null && !File.Exists(file)) problems.Add($"{label}: file {file} not found");

        string? layout = null;
        if (s.Layout is { } l)
        {
            layout = l == SessionSpec.OpenEphysKwd ? l : Resolve(baseDir, l);
            if (layout != SessionSpec.OpenEphysKwd && !File.Exists(layout))
                problems.Add($"{label}: layout {layout} not found (a plain-HDF5 layout YAML, or {SessionSpec.OpenEphysKwd})");
        }

        // A series pattern alone is a probe per matching series of the session's file.
        bool seriesPattern = s.Probes is null && s.Series is not null && Glob.IsPattern(s.Series);
        if (seriesPattern && s.Layout is not null) problems.Add($"{label}: a series pattern applies to NWB sessions, not plain-HDF5 layouts");
        var probes = s.Probes is not null ? Probes(s, label, baseDir, file, problems) : seriesPattern ? [new ProbeSpec("", file, s.Series)] : null;

        if (problems.Count > before) return;
        sessions.Add(new SessionSpec(
            s.Id!, file, s.Subject!, s.Drug!.Trim().ToLowerInvariant(), s.DoseMgKg ?? 0, s.InjectionS, s.InjectionTag, seriesPattern ? null : s.Series,
            s.Channels, s.Regions ?? new Dictionary<long, string>(), s.BadChannels ?? [], layout) { Probes = probes, InjectionTable = s.InjectionTable });
    }

    private static List<ProbeSpec>? Probes(SessionDocument s, string label, string baseDir, string sessionFile, List<string> problems)
    {
        if (s.Series is not null) problems.Add($"{label}: give series: (one series) or probes: (several), not both");
        if (s.Layout is not null) problems.Add($"{label}: probes: apply to NWB sessions, not plain-HDF5 layouts");
        if (s.Probes!.Count == 0) problems.Add($"{label}: probes: lists at least one {{series: …, file: …}}");
        var probes = new List<ProbeSpec>();
        foreach (var (p, i) in s.Probes.Select((p, i) => (p, i)))
        {
            bool filePattern = p.File is not null && Glob.IsPattern(Path.GetFileName(p.File));
            bool seriesPattern = p.Series is not null && Glob.IsPattern(p.Series);
            if ((filePattern || seriesPattern) && p.Name is not null)
                problems.Add($"{label}: probes[{i}]: name: cannot be given with a pattern; each match is named by its file or series");
            if (filePattern)
            {
                var files = MatchingFiles(Resolve(baseDir, p.File!));
                if (files.Count == 0) problems.Add($"{label}: probes[{i}]: no file matches {Resolve(baseDir, p.File!)}");
                probes.AddRange(files.Select(f => new ProbeSpec(Path.GetFileNameWithoutExtension(f), f, p.Series)));
                continue;
            }
            var file = p.File is null ? sessionFile : Resolve(baseDir, p.File);
            if (p.File is not null && !File.Exists(file)) problems.Add($"{label}: probes[{i}]: file {file} not found");
            var name = seriesPattern ? "" : p.Name ?? (p.Series is { } series ? series[(series.LastIndexOf('/') + 1)..] : Path.GetFileNameWithoutExtension(file));
            probes.Add(new ProbeSpec(name, file, p.Series));
        }
        // Series patterns are named when the file is opened (SessionSource checks the names again then).
        foreach (var repeated in probes.Where(p => !p.SeriesIsPattern).GroupBy(p => p.Name).Where(g => g.Count() > 1))
            problems.Add($"{label}: probe name '{repeated.Key}' is used {repeated.Count()} times; give each probe a name:");
        return probes;
    }

    /// <summary>The files of a directory whose names match the pattern of the path's last part, in ordinal order.</summary>
    private static List<string> MatchingFiles(string pathPattern)
    {
        var directory = Path.GetDirectoryName(pathPattern) ?? ".";
        var pattern = Glob.ToRegex(Path.GetFileName(pathPattern));
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(f => pattern.IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    private static void ReadSessionSheet(string csvPath, string baseDir, List<SessionSpec> sessions, List<string> problems)
    {
        if (!File.Exists(csvPath))
        {
            problems.Add($"sessions_csv: {csvPath} not found");
            return;
        }
        var lines = File.ReadAllLines(csvPath).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        if (lines.Count == 0)
        {
            problems.Add($"{csvPath}: the sheet has no header row");
            return;
        }
        var header = CsvFormat.SplitLine(lines[0]).Select(h => h.Trim()).ToList();
        var unknown = header.Where(h => !CsvColumns.Contains(h)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"{csvPath}: unknown column(s) {string.Join(", ", unknown)} (known: {string.Join(", ", CsvColumns)})");
            return;
        }
        for (int row = 1; row < lines.Count; row++)
        {
            var cells = CsvFormat.SplitLine(lines[row]);
            string? Cell(string name)
            {
                int i = header.IndexOf(name);
                return i >= 0 && i < cells.Count && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            }
            var where = $"{Path.GetFileName(csvPath)} line {row + 1}";
            var doc = new SessionDocument
            {
                Id = Cell("id"),
                File = Cell("file"),
                Subject = Cell("subject"),
                Drug = Cell("drug"),
                DoseMgKg = Number(Cell("dose_mg_kg"), $"{where}: dose_mg_kg", problems),
                InjectionS = Number(Cell("injection_s"), $"{where}: injection_s", problems),
                InjectionTag = Cell("injection_tag"),
                InjectionTable = Cell("injection_table"),
                Series = Cell("series"),
                Channels = Ids(Cell("channels"), $"{where}: channels", problems),
                BadChannels = Ids(Cell("bad_channels"), $"{where}: bad_channels", problems),
                Layout = Cell("layout"),
            };
            AddSession(doc, where, baseDir, sessions, problems);
        }
    }

    private static double? Number(string? text, string where, List<string> problems)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        problems.Add($"{where}: '{text}' is not a number");
        return null;
    }

    private static List<long>? Ids(string? text, string where, List<string> problems)
    {
        if (text is null) return null;
        var ids = new List<long>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            else problems.Add($"{where}: '{part}' is not a channel id (use ids separated by ';')");
        }
        return ids;
    }

    private static string Resolve(string baseDir, string path) => Path.GetFullPath(Path.Combine(baseDir, path));
}

/// <summary>A study manifest or analysis config with problems; <see cref="Problems"/> lists each on one line.</summary>
public sealed class StudyValidationException(string path, IReadOnlyList<string> problems)
    : Exception($"{path}: {problems.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public string Path { get; } = path;
    public IReadOnlyList<string> Problems { get; } = problems;
}
