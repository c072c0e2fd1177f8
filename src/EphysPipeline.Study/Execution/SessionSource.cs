using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.Preprocessing.Recordings;
using EphysPipeline.Preprocessing.States;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// A state's intervals as read from the session's file (file clock, seconds), or why it has none; LFP-ratio states
/// are found later on the preprocessed recording (<see cref="StateResolver"/>).
/// </summary>
internal sealed record StateSource(StateDefinition Definition, IReadOnlyList<TimeInterval>? Intervals, string? Problem);

/// <summary>What a session's file offers the analysis: the recording, its units, its interval tables and its states.</summary>
internal sealed class SessionSource : IDisposable
{
    private SessionSource(IRecording recording, IReadOnlyList<UnitInfo> units, IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> intervals,
        IReadOnlyList<StateSource> states)
    {
        Recording = recording;
        Units = units;
        Intervals = intervals;
        States = states;
    }

    public IReadOnlyList<StateSource> States { get; }

    public IRecording Recording { get; }

    public IReadOnlyList<UnitInfo> Units { get; }

    /// <summary>Streams the units table's spike times (reopens the session's file; nothing for a file without units).</summary>
    public Action<SpikeTimesVisitor> ReadSpikeTimes { get; private init; } = _ => { };

    /// <summary>What aligning the probes did (decimation, start rounding, drift), for the session's warnings.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>Each electrode id's probe, for sessions of several probes; null for one series.</summary>
    public IReadOnlyDictionary<long, string>? ProbeOf { get; private init; }

    /// <summary>Units in the file's table, before the manifest's unit filter.</summary>
    public int UnitsInTable { get; private init; }

    public IReadOnlyDictionary<string, IReadOnlyList<EpochInterval>> Intervals { get; }

    /// <param name="threads">Threads that may decompress the recording's chunks.</param>
    /// <param name="regions">The manifest's region groups (applied after the session's region overrides).</param>
    /// <param name="units">The manifest's unit filter.</param>
    public static SessionSource Open(SessionSpec spec, IReadOnlyList<StateDefinition> states, RegionSelection regions, UnitFilter units, int threads = 1)
    {
        if (spec.Layout is { } layout)
        {
            var plain = layout == SessionSpec.OpenEphysKwd ? PlainHdf5Layout.OpenEphysKwd : PlainHdf5Layout.LoadYaml(layout);
            var sources = states.Select(s => s.Kind == StateSourceKind.LfpRatio ? new StateSource(s, null, null)
                : new StateSource(s, null, "a plain-HDF5 recording has no NWB interval tables or behavioural series")).ToList();
            var raw = plain.Open(spec.File);
            raw.DecodeThreads = threads;
            return new SessionSource(WithRegions(raw, spec, regions), [], new Dictionary<string, IReadOnlyList<EpochInterval>>(), sources);
        }
        using var nwb = NwbFile.Open(spec.File, threads);
        var notes = new List<string>();
        IRecording recording;
        IReadOnlyDictionary<long, string>? probeOf = null;
        if (spec.Probes is { } probes)
        {
            var aligned = OpenProbes(nwb, spec, probes, threads, notes);
            probeOf = aligned.Channels.Select((c, i) => (c.ElectrodeId, Probe: aligned.ChannelProbes[i])).ToDictionary(x => x.ElectrodeId, x => x.Probe);
            recording = aligned;
        }
        else
        {
            var one = nwb.OpenSeries(spec.Series);
            one.DecodeThreads = threads;
            recording = one;
        }
        try
        {
            var intervals = nwb.ReadIntervals();
            var all = nwb.ReadUnits();
            var kept = units.Apply(all, column => nwb.ReadUnitColumn(column, all.Count), spec.File);
            return new SessionSource(WithRegions(recording, spec, regions), kept, intervals,
                states.Select(s => StateReader.Read(nwb, intervals, s)).ToList())
            {
                UnitsInTable = all.Count, Notes = notes, ProbeOf = probeOf,
                ReadSpikeTimes = visit =>
                {
                    using var file = NwbFile.Open(spec.File, checkHeaps: false); // checked above
                    file.ReadSpikeTimes(visit);
                },
            };
        }
        catch
        {
            recording.Dispose();
            throw;
        }
    }

    /// <summary>Each probe's series (the session's file or its own), aligned into one recording.</summary>
    private static AlignedRecording OpenProbes(NwbFile session, SessionSpec spec, IReadOnlyList<ProbeSpec> probes, int threads, List<string> notes)
    {
        var parts = new List<AlignedRecording.Part>();
        try
        {
            foreach (var probe in probes)
            {
                using var other = probe.File == spec.File ? null : NwbFile.Open(probe.File, threads);
                var file = other ?? session;
                foreach (var (name, path) in SeriesOf(file, probe))
                {
                    var series = file.OpenSeries(path);
                    series.DecodeThreads = threads;
                    parts.Add(new AlignedRecording.Part(name, series));
                }
            }
            foreach (var repeated in parts.GroupBy(p => p.Probe).Where(g => g.Count() > 1))
                throw new EphysInputException(spec.File, null, $"{repeated.Count()} probes of session {spec.Id} are named '{repeated.Key}'; give each probe a name: or narrow the patterns");
        }
        catch
        {
            foreach (var part in parts) part.Recording.Dispose();
            throw;
        }
        return AlignedRecording.Create(parts, notes.Add);
    }

    /// <summary>The probe's series with their probe names: one, or every series a pattern matches (by name or path).</summary>
    private static IEnumerable<(string Name, string? Path)> SeriesOf(NwbFile file, ProbeSpec probe)
    {
        if (!probe.SeriesIsPattern) return [(probe.Name, probe.Series)];
        var pattern = Glob.ToRegex(probe.Series!);
        var matches = file.Series.Where(s => pattern.IsMatch(s.Name) || pattern.IsMatch(s.Path)).ToList();
        if (matches.Count == 0)
            throw new EphysInputException(probe.File, null, $"no ElectricalSeries matches '{probe.Series}' (the file has {(file.Series.Count == 0 ? "none" : string.Join(", ", file.Series.Select(s => s.Path)))})");
        return matches.Select(m => (probe.Name.Length == 0 ? m.Name : probe.Name + "/" + m.Name, (string?)m.Path));
    }

    /// <summary>The injection time on the file's clock: the manifest's, or the start of the first interval tagged so.</summary>
    public double InjectionTime(SessionSpec spec)
    {
        if (spec.InjectionSeconds is { } seconds) return seconds;
        if (spec.InjectionTable is { } name)
        {
            if (!Intervals.TryGetValue(name, out var table))
                throw new EphysInputException(spec.File, "/intervals/" + name,
                    $"no such interval table (injection_table of session {spec.Id}; the file has {(Intervals.Count == 0 ? "none" : string.Join(", ", Intervals.Keys))})");
            if (table.Count == 0) throw new EphysInputException(spec.File, "/intervals/" + name, $"the table has no rows (injection_table of session {spec.Id})");
            return table.Min(r => r.Start);
        }
        var tag = spec.InjectionTag!;
        foreach (var (table, rows) in Intervals.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var row = rows.Where(r => r.Tags.Contains(tag)).OrderBy(r => r.Start).FirstOrDefault();
            if (row is not null) return row.Start;
        }
        throw new EphysInputException(spec.File, "/intervals", $"no interval is tagged '{tag}' (injection_tag of session {spec.Id})");
    }

    public void Dispose() => Recording.Dispose();

    private static IRecording WithRegions(IRecording recording, SessionSpec spec, RegionSelection regions) =>
        spec.RegionOverrides.Count == 0 && spec.Channels is null && regions.Groups.Count == 0 ? recording : new SelectedRecording(recording, spec, regions);
}

/// <summary>The manifest's channel subset, region overrides and region groups over a recording.</summary>
internal sealed class SelectedRecording : IRecording
{
    private readonly IRecording _parent;
    private readonly int[] _positions;

    public SelectedRecording(IRecording parent, SessionSpec spec, RegionSelection regions)
    {
        _parent = parent;
        var channels = parent.Channels;
        if (spec.Channels is { } wanted)
        {
            var missing = wanted.Where(id => channels.All(c => c.ElectrodeId != id)).ToList();
            if (missing.Count > 0)
                throw new EphysInputException(spec.File, parent.Source, $"channels {string.Join(", ", missing)} are not in the recording (session {spec.Id})");
            _positions = wanted.Select(id => channels.ToList().FindIndex(c => c.ElectrodeId == id)).ToArray();
        }
        else _positions = Enumerable.Range(0, channels.Count).ToArray();
        Channels = _positions.Select((p, i) =>
        {
            var c = channels[p];
            var location = spec.RegionOverrides.TryGetValue(c.ElectrodeId, out var region) ? region : c.Region;
            var group = regions.GroupOf(location, out var conflict)
                ?? throw new EphysInputException(spec.File, parent.Source,
                    $"electrode {c.ElectrodeId}: location '{location}' matches region groups {conflict!.Value.A} and {conflict.Value.B} (session {spec.Id}); a location may belong to one group");
            return new ChannelInfo(i, c.ElectrodeId, group, c.Group);
        }).ToList();
    }

    public string Source => _parent.Source;
    public double SampleRate => _parent.SampleRate;
    public long SampleCount => _parent.SampleCount;
    public double StartTime => _parent.StartTime;
    public IReadOnlyList<ChannelInfo> Channels { get; }
    public int PreferredBlockSamples => _parent.PreferredBlockSamples;

    public void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination)
    {
        Span<int> mapped = channels.Length <= 512 ? stackalloc int[channels.Length] : new int[channels.Length];
        for (int i = 0; i < channels.Length; i++) mapped[i] = _positions[channels[i]];
        _parent.ReadTraces(start, count, mapped, destination);
    }

    public void Dispose() => _parent.Dispose();
}
