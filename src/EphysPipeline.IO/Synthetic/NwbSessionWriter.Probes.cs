using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO.Synthetic;

/// <summary>One probe of a multi-probe synthetic session: its cortical area, channels, rate and clock offset.</summary>
public sealed record SyntheticProbe(string Name, string Area, int Channels, double Rate, double StartOffsetS, long FirstElectrodeId);

/// <summary>What a multi-probe session wrote: the session file (units, intervals) and one LFP file per probe.</summary>
public sealed record SyntheticProbeSession(string SessionPath, IReadOnlyList<string> ProbePaths, int Units, long Spikes);

public static partial class NwbSessionWriter
{
    private static readonly string[] CorticalLayers = ["2/3", "4", "5", "6a"];
    private static readonly string[] HippocampalAreas = ["CA1", "DG-sg", "CA3"];

    /// <summary>
    /// A session in the shape of the Allen/OpenScope Neuropixels files: one NWB file per probe with its LFP series
    /// (its own electrodes table, ids unique across probes, CCF-style locations: the model's cortical half as
    /// `{area}{layer}`, its hippocampal half as CA1 / DG-sg / CA3), and a session file with every probe's electrodes,
    /// the units (with quality, isi_violations and presence_ratio columns), epochs and an injection_times table.
    /// Each probe is the synthetic model with its own seed; probes are written on up to <paramref name="threads"/>
    /// threads, the same bytes whatever the count.
    /// </summary>
    public static SyntheticProbeSession WriteProbes(string directory, SyntheticSessionSpec session, IReadOnlyList<SyntheticProbe> probes,
        DateTimeOffset sessionStart, int threads = 1)
    {
        Directory.CreateDirectory(directory);
        var specs = probes.Select(p => session with
        {
            Seed = SynthRandom.Derive(session.Seed, p.Name), ChannelCount = p.Channels, SampleRate = p.Rate,
        }).ToArray();
        var generators = new SyntheticSessionGenerator[probes.Count];
        var paths = probes.Select(p => Path.Combine(directory, $"{session.SessionId}_{p.Name}.nwb")).ToArray();
        Parallel.For(0, probes.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, k =>
        {
            var probe = probes[k];
            var spec = specs[k];
            var generator = generators[k] = new SyntheticSessionGenerator(spec);
            var ids = new SynthRandom(spec.SessionSeed, 7);
            using var file = Hdf5File.Create(paths[k]);
            WriteRoot(file, $"{session.SessionId}-{session.Seed}-{probe.Name}", $"synthetic {session.Drug.Name} session, LFP of {probe.Name} (EphysPipeline ephys synth --profile openscope)", sessionStart, ids);
            WriteSubject(file, session, ids);
            WriteProbeGroups(file, [probe], ids);
            WriteElectrodes(file, Rows([probe], [spec]), ids);
            WriteElectricalSeries(file, $"/acquisition/{probe.Name}_lfp", generator, ids, probe.StartOffsetS);
        });

        var sessionPath = Path.Combine(directory, $"{session.SessionId}.nwb");
        var sessionIds = new SynthRandom(session.SessionSeed, 7);
        using (var file = Hdf5File.Create(sessionPath))
        {
            WriteRoot(file, $"{session.SessionId}-{session.Seed}", $"synthetic {session.Drug.Name} session, units and intervals (EphysPipeline ephys synth --profile openscope)", sessionStart, sessionIds);
            WriteSubject(file, session, sessionIds);
            WriteProbeGroups(file, probes, sessionIds);
            WriteElectrodes(file, Rows(probes, specs), sessionIds);
            var units = new List<(long, IReadOnlyList<double>, long)>();
            long rowOffset = 0;
            for (int k = 0; k < probes.Count; k++)
            {
                foreach (var u in generators[k].Units)
                    units.Add((units.Count, u.SpikeTimes.Select(t => t + probes[k].StartOffsetS).ToArray(), rowOffset + u.Channel));
                rowOffset += probes[k].Channels;
            }
            var draw = new SynthRandom(session.SessionSeed, 8);
            var quality = new string[units.Count];
            var isi = new double[units.Count];
            var presence = new double[units.Count];
            for (int u = 0; u < units.Count; u++)
            {
                double q = draw.NextDouble();
                quality[u] = q < 0.7 ? "good" : q < 0.9 ? "mua" : "noise";
                isi[u] = draw.NextDouble() * (quality[u] == "good" ? 0.5 : 2);
                presence[u] = 0.7 + 0.3 * draw.NextDouble();
            }
            WriteUnits(file, units, sessionIds,
            [
                new("quality", "curation label: good, mua or noise", quality, null),
                new("isi_violations", "refractory-period violations (ratio)", null, isi),
                new("presence_ratio", "fraction of the recording in which the unit fires", null, presence),
            ]);
            var inj = session.InjectionSeconds;
            Intervals(file, "epochs", "experimental epochs", [(0, inj, "baseline"), (inj, session.DurationSeconds, "drug")], sessionIds);
            Intervals(file, "injection_times", $"{session.Drug.Name} injection", [(inj, inj + 30, session.Drug.Name)], sessionIds);
        }
        return new SyntheticProbeSession(sessionPath, paths, generators.Sum(g => g.Units.Count), generators.Sum(g => g.Units.Sum(u => (long)u.SpikeTimes.Count)));
    }

    private static void WriteProbeGroups(Hdf5File file, IReadOnlyList<SyntheticProbe> probes, SynthRandom ids)
    {
        foreach (var probe in probes)
        {
            using (var device = file.CreateGroup($"/general/devices/{probe.Name}"))
            {
                Typed(device, "Device", "core", ids);
                device.WriteAttribute("description", "synthetic Neuropixels-like probe");
            }
            WriteElectrodeGroup(file, probe.Name, probe.Area, $"/general/devices/{probe.Name}", ids);
        }
    }

    private static ElectrodeRows Rows(IReadOnlyList<SyntheticProbe> probes, IReadOnlyList<SyntheticSessionSpec> specs)
    {
        var ids = new List<long>();
        var locations = new List<string>();
        var groups = new List<string>();
        var x = new List<double>();
        var y = new List<double>();
        for (int k = 0; k < probes.Count; k++)
        {
            var probe = probes[k];
            int cortical = Enumerable.Range(0, probe.Channels).Count(c => specs[k].RegionOf(c) == "PFC");
            for (int c = 0; c < probe.Channels; c++)
            {
                ids.Add(probe.FirstElectrodeId + c);
                locations.Add(specs[k].RegionOf(c) == "PFC"
                    ? probe.Area + CorticalLayers[Math.Min(CorticalLayers.Length - 1, c * CorticalLayers.Length / Math.Max(1, cortical))]
                    : HippocampalAreas[Math.Min(HippocampalAreas.Length - 1, (c - cortical) * HippocampalAreas.Length / Math.Max(1, probe.Channels - cortical))]);
                groups.Add(probe.Name);
                x.Add(1000.0 * k);
                y.Add(20.0 * c);
            }
        }
        return new ElectrodeRows([.. ids], [.. locations], [.. groups], [.. x], [.. y]);
    }
}
