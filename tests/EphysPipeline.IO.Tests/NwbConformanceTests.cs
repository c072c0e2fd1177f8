using System.Text.Json;
using EphysPipeline.IO;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests;

/// <summary>Reader values against h5py × conversion (tests/fixtures/scripts/make_io_expected.py).</summary>
public class NwbConformanceTests
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("io/expected_io.json"))).RootElement);

    public static TheoryData<string> NwbFiles => ["ketamine_m01.nwb", "psilocybin_m02_lfp.nwb", "saline_m01_timestamps.nwb"];

    [Theory]
    [MemberData(nameof(NwbFiles))]
    public void Blocks_equal_h5py_times_conversion(string name)
    {
        var expected = Expected.Value.GetProperty(name);
        using var recording = NwbFile.OpenRecording(Fixtures.PathOf("nwb/" + name));
        Assert.Equal(expected.GetProperty("series").GetString(), recording.DatasetPath[..^"/data".Length]);
        Assert.Equal(expected.GetProperty("samples").GetInt64(), recording.SampleCount);
        Assert.Equal(expected.GetProperty("rate").GetDouble(), recording.SampleRate, 1e-9);
        Assert.Equal(expected.GetProperty("start_time").GetDouble(), recording.StartTime);
        var channels = expected.GetProperty("channels").EnumerateArray().ToArray();
        Assert.Equal(channels.Length, recording.Channels.Count);
        for (var c = 0; c < channels.Length; c++)
        {
            Assert.Equal(c, recording.Channels[c].Index);
            Assert.Equal(channels[c].GetProperty("id").GetInt64(), recording.Channels[c].ElectrodeId);
            Assert.Equal(channels[c].GetProperty("region").GetString(), recording.Channels[c].Region);
            Assert.Equal(channels[c].GetProperty("group").GetString(), recording.Channels[c].Group);
        }
        var all = Enumerable.Range(0, channels.Length).ToArray();
        foreach (var block in expected.GetProperty("blocks").EnumerateArray())
        {
            var start = block.GetProperty("start").GetInt64();
            var count = block.GetProperty("count").GetInt32();
            var volts = block.GetProperty("volts").Rows();
            var destination = new double[all.Length * count];
            recording.ReadTraces(start, count, all, destination);
            for (var c = 0; c < all.Length; c++)
            for (var t = 0; t < count; t++)
                Assert.Equal(volts[c][t], destination[c * count + t]); // exact: same float64 product
            // A reordered subset gives the same values in the asked order.
            int[] subset = [all.Length - 1, 0];
            var part = new double[2 * count];
            recording.ReadTraces(start, count, subset, part);
            Assert.Equal(volts[^1], part[..count]);
            Assert.Equal(volts[0], part[count..]);
        }
    }

    [Theory]
    [MemberData(nameof(NwbFiles))]
    public void Streaming_pass_in_preferred_blocks_covers_every_sample(string name)
    {
        var sums = Expected.Value.GetProperty(name).GetProperty("channel_sums").Doubles();
        using var recording = NwbFile.OpenRecording(Fixtures.PathOf("nwb/" + name));
        Assert.True(recording.PreferredBlockSamples > 0);
        if (recording.ChunkShape is { } chunks) Assert.Equal(0, recording.PreferredBlockSamples % chunks[0]);
        var all = Enumerable.Range(0, recording.Channels.Count).ToArray();
        var block = new double[recording.PreferredBlockSamples * all.Length];
        var totals = new double[all.Length];
        for (long start = 0; start < recording.SampleCount; start += recording.PreferredBlockSamples)
        {
            var count = (int)Math.Min(recording.PreferredBlockSamples, recording.SampleCount - start);
            recording.ReadTraces(start, count, all, block);
            for (var c = 0; c < all.Length; c++)
            for (var t = 0; t < count; t++)
                totals[c] += block[c * count + t];
        }
        for (var c = 0; c < all.Length; c++) Assert.Equal(sums[c], totals[c], Math.Abs(sums[c]) * 1e-9 + 1e-12);
        Assert.Equal(0, recording.CountNonFinite());
    }

    [Theory]
    [MemberData(nameof(NwbFiles))]
    public void Units_epochs_and_metadata_match_the_tables(string name)
    {
        var expected = Expected.Value.GetProperty(name);
        using var nwb = NwbFile.Open(Fixtures.PathOf("nwb/" + name));
        var metadata = nwb.ReadMetadata();
        Assert.Equal(expected.GetProperty("identifier").GetString(), metadata.Identifier);
        Assert.Equal(expected.GetProperty("pharmacology").GetString(), metadata.Pharmacology);
        Assert.Equal(expected.GetProperty("species").GetString(), metadata.Species);
        Assert.Equal(expected.GetProperty("subject_id").GetString(), metadata.SubjectId);
        Assert.NotNull(metadata.SessionStartTime);
        var units = nwb.ReadUnits();
        var trains = SpikeTimes.Read(nwb, sliceValues: 1000);
        var expectedUnits = expected.GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal(expectedUnits.Length, units.Count);
        var channels = expected.GetProperty("channels").EnumerateArray().ToArray();
        for (var u = 0; u < units.Count; u++)
        {
            Assert.Equal(expectedUnits[u].GetProperty("id").GetInt64(), units[u].Id);
            Assert.Equal(expectedUnits[u].GetProperty("count").GetInt32(), units[u].SpikeCount);
            Assert.Equal(expectedUnits[u].GetProperty("count").GetInt32(), trains[u].Length);
            Assert.Equal(expectedUnits[u].GetProperty("first").GetDouble(), trains[u][0]);
            Assert.Equal(expectedUnits[u].GetProperty("last").GetDouble(), trains[u][^1]);
            // One unit per channel in these files: the unit's electrode is row u.
            Assert.Equal([channels[u].GetProperty("id").GetInt64()], units[u].ElectrodeIds);
            Assert.Equal(channels[u].GetProperty("region").GetString(), units[u].Region);
        }
        var epochs = nwb.ReadEpochs();
        var expectedEpochs = expected.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(expectedEpochs.Length, epochs.Count);
        for (var e = 0; e < epochs.Count; e++)
        {
            Assert.Equal(expectedEpochs[e].GetProperty("start").GetDouble(), epochs[e].Start);
            Assert.Equal(expectedEpochs[e].GetProperty("stop").GetDouble(), epochs[e].Stop);
            Assert.Equal(expectedEpochs[e].GetProperty("tags").EnumerateArray().Select(t => t.GetString()!), epochs[e].Tags);
        }
    }

    [Fact]
    public void Kwd_reads_through_the_open_ephys_layout_in_volts()
    {
        var expected = Expected.Value.GetProperty("kwd");
        using var recording = PlainHdf5Layout.OpenEphysKwd.Open(Fixtures.PathOf("real/oe_data_stream_16ch_hippocampus_8e12dab.kwd"));
        Assert.Equal(expected.GetProperty("samples").GetInt64(), recording.SampleCount);
        Assert.Equal(40000.0, recording.SampleRate);
        Assert.Equal(16, recording.Channels.Count);
        Assert.Equal((double)0.05f * 1e-6, recording.Gain[0]); // float32 attribute, widened as h5py does
        var volts = expected.GetProperty("volts").Rows();
        var count = expected.GetProperty("count").GetInt32();
        var all = Enumerable.Range(0, 16).ToArray();
        var destination = new double[16 * count];
        recording.ReadTraces(expected.GetProperty("start").GetInt64(), count, all, destination);
        for (var c = 0; c < 16; c++)
        for (var t = 0; t < count; t++)
            Assert.Equal(volts[c][t], destination[c * count + t], Math.Abs(volts[c][t]) * 1e-15);
        // Wideband hippocampus: microvolts to millivolts, never volts.
        Assert.All(destination, v => Assert.True(Math.Abs(v) < 0.01));
    }

    [Fact]
    public void Pynapple_units_read_with_uint16_index()
    {
        var expected = Expected.Value.GetProperty("pynapple_units").EnumerateArray().ToArray();
        using var nwb = NwbFile.Open(Fixtures.PathOf("real/pynapple_A8604-211122.nwb"));
        var units = nwb.ReadUnits();
        var trains = SpikeTimes.Read(nwb, sliceValues: 4096);
        Assert.Equal(expected.Length, units.Count);
        Assert.Equal(21354, units.Sum(u => u.SpikeCount));
        for (var u = 0; u < units.Count; u++)
        {
            Assert.Equal(expected[u].GetProperty("count").GetInt32(), trains[u].Length);
            Assert.Equal(expected[u].GetProperty("last").GetDouble(), trains[u][^1]);
            Assert.Equal("unknown", units[u].Region);
        }
        Assert.Single(nwb.ReadIntervals()["epochs"]);
    }
}
