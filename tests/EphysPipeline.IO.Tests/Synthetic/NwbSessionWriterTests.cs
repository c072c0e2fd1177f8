using EphysPipeline.IO.Synthetic;
using EphysPipeline.Native.Hdf5;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests.Synthetic;

public class NwbSessionWriterTests
{
    private static readonly SyntheticSessionSpec Spec =
        new("m01", DrugEffect.Find("psilocybin")!, 5, ChannelCount: 6, DurationSeconds: 165.5, InjectionSeconds: 60);

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SameSeedGivesByteIdenticalFiles()
    {
        using var dir = Fixtures.TempDir();
        var a = Path.Combine(dir.Path, "a.nwb");
        var b = Path.Combine(dir.Path, "b.nwb");
        NwbSessionWriter.Write(a, Spec, Start);
        Thread.Sleep(1100); // object-header timestamps, if any were written, would now differ
        NwbSessionWriter.Write(b, Spec, Start);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void DataAndSpikesRoundTripExactly()
    {
        using var dir = Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "s.nwb");
        var generator = NwbSessionWriter.Write(path, Spec, Start);
        var expected = new short[generator.SampleCount * 6];
        new SyntheticSessionGenerator(Spec).Fill(expected);

        using var file = Hdf5File.OpenRead(path);
        using (var data = file.OpenDataset("/acquisition/ElectricalSeries/data"))
        {
            Assert.Equal([165_500L, 6L], data.Shape);
            Assert.Equal([1000L, 6L], data.ChunkShape!);
            Assert.Contains(data.Filters, f => f.Level == NwbSessionWriter.GzipLevel);
            Assert.Equal(expected, data.ReadAll<short>());
            Assert.Equal(SyntheticModel.Conversion, data.ReadAttributeScalar<double>("conversion"));
            Assert.Equal("volts", data.ReadAttributeString("unit"));
        }
        using (var times = file.OpenDataset("/units/spike_times"))
        using (var index = file.OpenDataset("/units/spike_times_index"))
        {
            Assert.Equal(generator.Units.SelectMany(u => u.SpikeTimes).ToArray(), times.ReadAll<double>());
            var ends = ReadIndex(index);
            Assert.Equal(generator.Units.Count, ends.Length);
            long total = 0;
            for (var u = 0; u < ends.Length; u++) Assert.Equal(total += generator.Units[u].SpikeTimes.Count, ends[u]);
        }
        using (var electrodes = file.OpenDataset("/units/electrodes"))
            Assert.Equal(generator.Units.Select(u => (long)u.Channel).ToArray(), electrodes.ReadAll<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OurNwbReaderReturnsTheGeneratedVoltsSpikesAndIntervals(bool withArtifacts)
    {
        using var dir = Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "s.nwb");
        var spec = Enumerable.Range(0, 50).Select(s => Spec with { Seed = (ulong)s })
            .First(s => new SyntheticSessionGenerator(s).Artifacts.Count > 0 == withArtifacts);
        var generator = NwbSessionWriter.Write(path, spec, Start);
        var expected = new short[generator.SampleCount * 6];
        new SyntheticSessionGenerator(spec).Fill(expected);

        using var nwb = NwbFile.Open(path);
        using (var recording = nwb.OpenSeries())
        {
            Assert.Equal(1000.0, recording.SampleRate);
            Assert.Equal(165_500L, recording.SampleCount);
            Assert.Equal(["PFC", "PFC", "PFC", "HPC", "HPC", "HPC"], recording.Channels.Select(c => c.Region));
            var volts = new double[6 * 4000];
            recording.ReadTraces(123_000, 4000, [0, 1, 2, 3, 4, 5], volts);
            for (var c = 0; c < 6; c++)
                for (var t = 0; t < 4000; t++)
                    Assert.Equal(expected[(123_000 + t) * 6 + c] * SyntheticModel.Conversion, volts[c * 4000 + t]);
        }
        var units = nwb.ReadUnits();
        var trains = SpikeTimes.Read(nwb);
        Assert.Equal(generator.Units.Count, units.Count);
        for (var u = 0; u < units.Count; u++)
        {
            Assert.Equal(generator.Units[u].SpikeTimes.ToArray(), trains[u]);
            Assert.Equal(generator.Units[u].Region, units[u].Region);
            Assert.Equal([(long)generator.Units[u].Channel], units[u].ElectrodeIds);
        }
        var intervals = nwb.ReadIntervals();
        Assert.Equal([new[] { "baseline" }, ["drug"]], intervals["epochs"].Select(e => e.Tags.ToArray()));
        Assert.Equal(60.0, intervals["injection"].Single().Start);
        Assert.Equal(generator.Artifacts.Select(a => (a.Start, a.Stop)), intervals["movement_artifacts"].Select(e => (e.Start, e.Stop)));
        var metadata = nwb.ReadMetadata();
        Assert.Equal("m01", metadata.SubjectId);
        Assert.Equal("psilocybin 1 mg/kg i.p. at 60 s", metadata.Pharmacology);
    }

    [Fact]
    public void LayoutFollowsNwb27()
    {
        using var dir = Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "s.nwb");
        NwbSessionWriter.Write(path, Spec, Start);
        using var file = Hdf5File.OpenRead(path);

        Assert.Equal("2.7.0", file.ReadAttributeString("nwb_version"));
        Assert.Equal("NWBFile", file.ReadAttributeString("neurodata_type"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", file.ReadAttributeString("object_id"));
        foreach (var p in new[] { "/identifier", "/session_description", "/session_start_time", "/timestamps_reference_time",
                     "/file_create_date", "/general/pharmacology", "/general/subject/subject_id", "/general/subject/species" })
            Assert.Equal(Hdf5ObjectKind.Dataset, file.KindOf(p));
        using (var d = file.OpenDataset("/session_start_time")) Assert.Equal("2026-03-02T09:00:00+00:00", d.ReadString());
        using (var d = file.OpenDataset("/general/pharmacology")) Assert.Equal("psilocybin 1 mg/kg i.p. at 60 s", d.ReadString());
        using (var d = file.OpenDataset("/general/subject/species")) Assert.Equal("Mus musculus", d.ReadString());
        using (var g = file.OpenGroup("/general/subject")) Assert.Equal("Subject", g.ReadAttributeString("neurodata_type"));

        using (var table = file.OpenGroup("/general/extracellular_ephys/electrodes"))
        {
            Assert.Equal(["location", "group", "group_name", "x", "y", "z", "imp", "filtering"], table.ReadAttributeStrings("colnames"));
            using var location = table.OpenDataset("location");
            Assert.Equal(["PFC", "PFC", "PFC", "HPC", "HPC", "HPC"], location.ReadStrings());
            using var group = table.OpenDataset("group");
            Assert.Equal("/general/extracellular_ephys/shank_HPC", group.ReadReferences()[5]);
        }
        var link = file.OpenGroup("/general/extracellular_ephys/shank_PFC").Members().Single(m => m.Name == "device");
        Assert.Equal("/general/devices/probe", link.SoftLinkTarget);

        using (var series = file.OpenGroup("/acquisition/ElectricalSeries"))
        {
            Assert.Equal("ElectricalSeries", series.ReadAttributeString("neurodata_type"));
            using var region = series.OpenDataset("electrodes");
            Assert.Equal("/general/extracellular_ephys/electrodes", region.ReadAttributeReferences("table")[0]);
            using var startingTime = series.OpenDataset("starting_time");
            Assert.Equal(0.0, startingTime.ReadScalar<double>());
            Assert.Equal(1000.0, startingTime.ReadAttributeScalar<double>("rate"));
        }

        using (var epochs = file.OpenGroup("/intervals/epochs"))
        {
            Assert.Equal("TimeIntervals", epochs.ReadAttributeString("neurodata_type"));
            using var tags = epochs.OpenDataset("tags");
            Assert.Equal(["baseline", "drug"], tags.ReadStrings());
            using var stop = epochs.OpenDataset("stop_time");
            Assert.Equal([60.0, 165.5], stop.ReadAll<double>());
            using var index = epochs.OpenDataset("tags_index");
            Assert.Equal("/intervals/epochs/tags", index.ReadAttributeReferences("target")[0]);
        }
        using (var injection = file.OpenDataset("/intervals/injection/start_time")) Assert.Equal([60.0], injection.ReadAll<double>());
        using (var units = file.OpenGroup("/units")) Assert.Equal(["spike_times", "electrodes"], units.ReadAttributeStrings("colnames"));
    }

    private static long[] ReadIndex(Hdf5Dataset index) => index.ElementType.Size switch
    {
        1 => [.. index.ReadAll<byte>().Select(v => (long)v)],
        2 => [.. index.ReadAll<ushort>().Select(v => (long)v)],
        4 => [.. index.ReadAll<uint>().Select(v => (long)v)],
        _ => [.. index.ReadAll<ulong>().Select(v => (long)v)],
    };
}
