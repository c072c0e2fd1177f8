using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.Native.Hdf5;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests;

public class BadInputTests
{
    /// <summary>A minimal NWB-like file; <paramref name="edit"/> breaks one thing.</summary>
    private static string MinimalNwb(TempDirectory dir, string name, Action<Hdf5File, Hdf5Group>? edit = null, int samples = 100, int channels = 2)
    {
        var path = dir.File(name);
        using var file = Hdf5File.Create(path);
        using (var table = file.CreateGroup("general/extracellular_ephys/electrodes"))
        {
            table.WriteAttribute("neurodata_type", "DynamicTable");
            table.WriteDataset<long>("id", Enumerable.Range(0, channels).Select(i => (long)i + 10).ToArray());
            table.WriteStrings("location", Enumerable.Range(0, channels).Select(i => i % 2 == 0 ? "PFC" : "HPC").ToArray()).Dispose();
        }
        using var series = file.CreateGroup("acquisition/es");
        series.WriteAttribute("neurodata_type", "ElectricalSeries");
        var data = Enumerable.Range(0, samples * channels).Select(i => (short)(i % 17)).ToArray();
        series.WriteDataset<short>("data", data, [samples, channels]);
        using (var d = series.OpenDataset("data")) d.WriteAttribute("conversion", 1e-6);
        using (var start = series.WriteScalar("starting_time", 0.0)) start.WriteAttribute("rate", 100.0);
        series.WriteDataset<long>("electrodes", Enumerable.Range(0, channels).Select(i => (long)i).ToArray());
        using (var region = series.OpenDataset("electrodes")) region.WriteReferenceAttribute("table", "/general/extracellular_ephys/electrodes");
        edit?.Invoke(file, series);
        return path;
    }

    private static EphysInputException Fails(Action action)
    {
        var error = Assert.Throws<EphysInputException>(action);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Fact]
    public void Minimal_file_reads()
    {
        using var dir = Fixtures.TempDir();
        using var recording = NwbFile.OpenRecording(MinimalNwb(dir, "ok.nwb"));
        Assert.Equal(100, recording.SampleCount);
        Assert.Equal(100.0, recording.SampleRate);
        Assert.Equal(["PFC", "HPC"], recording.Channels.Select(c => c.Region));
        Assert.Equal([10L, 11], recording.Channels.Select(c => c.ElectrodeId));
        var block = new double[2 * 3];
        recording.ReadTraces(1, 3, [0, 1], block);
        Assert.Equal([2e-6, 4e-6, 6e-6, 3e-6, 5e-6, 7e-6], block, (a, b) => Math.Abs(a - b) < 1e-18);
    }

    [Fact]
    public void Missing_not_hdf5_and_empty_files_name_the_file()
    {
        using var dir = Fixtures.TempDir();
        Assert.Contains("file not found", Fails(() => NwbFile.Open(dir.File("none.nwb"))).Message);
        var text = dir.File("text.nwb");
        File.WriteAllText(text, "hello");
        Assert.Equal($"{text}: not an HDF5 file (no HDF5 signature)", Fails(() => NwbFile.Open(text)).Message);
        var empty = dir.File("empty.nwb");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty file", Fails(() => NwbFile.Open(empty)).Message);
    }

    [Fact]
    public void Truncated_file_is_bad_input()
    {
        using var dir = Fixtures.TempDir();
        var bytes = File.ReadAllBytes(Fixtures.PathOf("nwb/saline_m01_timestamps.nwb"));
        var path = dir.File("truncated.nwb");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Fails(() =>
        {
            using var nwb = NwbFile.Open(path);
            using var recording = nwb.OpenSeries();
            var block = new double[recording.Channels.Count * recording.PreferredBlockSamples];
            for (long s = 0; s + recording.PreferredBlockSamples <= recording.SampleCount; s += recording.PreferredBlockSamples)
                recording.ReadTraces(s, recording.PreferredBlockSamples, Enumerable.Range(0, recording.Channels.Count).ToArray(), block);
        });
        Assert.StartsWith(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void No_electrical_series_says_what_the_file_contains()
    {
        using var nwb = NwbFile.Open(Fixtures.PathOf("real/pynapple_A8604-211122.nwb"));
        var error = Fails(() => nwb.OpenSeries());
        Assert.Contains("no ElectricalSeries", error.Message);
        Assert.Contains("units: 3", error.Message);
        using var dandi = NwbFile.Open(Fixtures.PathOf("real/dandicli_sub-anm369963_ses-20170228.nwb"));
        var dandiError = Fails(() => dandi.OpenSeries());
        Assert.Contains("units: 1", dandiError.Message);
        Assert.Contains("TimeSeries: 2", dandiError.Message);
        Assert.Equal(178, dandi.ReadIntervals()["trials"].Count);
        Assert.Equal("anm369963", dandi.ReadMetadata().SubjectId);
    }

    [Fact]
    public void Electrodes_table_shorter_than_the_channels_is_reported()
    {
        using var nwb = NwbFile.Open(Fixtures.PathOf("real/nwblinkml_aibs_ecephys.nwb"));
        Assert.Single(nwb.Series);
        var error = Fails(() => nwb.OpenSeries());
        Assert.Contains("/acquisition/probe_769322820_lfp/probe_769322820_lfp_data/electrodes", error.Message);
        Assert.Contains("10 rows for 87 data channels", error.Message);
    }

    [Fact]
    public void Rate_problems_are_reported()
    {
        using var dir = Fixtures.TempDir();
        var zero = MinimalNwb(dir, "zero.nwb", (_, s) => { using var st = s.OpenDataset("starting_time"); st.WriteAttribute("rate", 0.0); });
        Assert.Contains("rate 0 is not > 0", Fails(() => NwbFile.OpenRecording(zero)).Message);
        var negative = MinimalNwb(dir, "neg.nwb", (_, s) => { using var st = s.OpenDataset("starting_time"); st.WriteAttribute("rate", -5.0); });
        Assert.Contains("not > 0", Fails(() => NwbFile.OpenRecording(negative)).Message);
        var missingRate = MinimalNwb(dir, "missing_rate.nwb", (f, s) =>
        {
            using var g = f.CreateGroup("acquisition/other");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            g.WriteDataset<float>("data", new float[20], [10, 2]);
            g.WriteScalar("starting_time", 0.0).Dispose();
        });
        Assert.Contains("rate attribute missing", Fails(() => NwbFile.OpenRecording(missingRate, "other")).Message);
        Assert.Contains("2 ElectricalSeries (/acquisition/es, /acquisition/other): choose one", Fails(() => NwbFile.OpenRecording(missingRate)).Message);
        var noTiming = MinimalNwb(dir, "notiming.nwb", (f, _) =>
        {
            using var g = f.CreateGroup("acquisition/other");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            g.WriteDataset<float>("data", new float[20], [10, 2]);
        });
        Assert.Contains("sampling rate missing", Fails(() => NwbFile.OpenRecording(noTiming, "/acquisition/other")).Message);
    }

    [Fact]
    public void Irregular_timestamps_are_rejected_and_regular_ones_give_the_rate()
    {
        using var dir = Fixtures.TempDir();
        string WithTimestamps(string name, double[] t) => MinimalNwb(dir, name, (f, s) =>
        {
            f.OpenGroup("acquisition/es").Dispose();
            using (var g = f.CreateGroup("acquisition/ts"))
            {
                g.WriteAttribute("neurodata_type", "ElectricalSeries");
                g.WriteDataset<short>("data", new short[t.Length * 2], [t.Length, 2]);
                g.WriteDataset<double>("timestamps", t);
            }
        });
        var regular = Enumerable.Range(0, 1000).Select(i => 5 + i / 250.0).ToArray();
        using (var recording = NwbFile.OpenRecording(WithTimestamps("regular.nwb", regular), "ts"))
        {
            Assert.Equal(250.0, recording.SampleRate, 1e-9);
            Assert.Equal(5.0, recording.StartTime);
            Assert.Equal(["unknown", "unknown"], recording.Channels.Select(c => c.Region));
        }
        var irregular = (double[])regular.Clone();
        irregular[500] += 1e-4;
        var error = Fails(() => NwbFile.OpenRecording(WithTimestamps("irregular.nwb", irregular), "ts"));
        Assert.Contains("irregularly sampled", error.Message);
        Assert.Contains("/acquisition/ts/timestamps", error.Message);
    }

    [Fact]
    public void Empty_and_unsupported_data_are_reported()
    {
        using var dir = Fixtures.TempDir();
        var empty = MinimalNwb(dir, "empty.nwb", (f, _) =>
        {
            using var g = f.CreateGroup("acquisition/z");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            g.CreateDataset<short>("data", [0, 2]).Dispose();
            using var st = g.WriteScalar("starting_time", 0.0);
            st.WriteAttribute("rate", 1000.0);
        });
        Assert.Contains("empty dataset", Fails(() => NwbFile.OpenRecording(empty, "z")).Message);
        var strings = MinimalNwb(dir, "strings.nwb", (f, _) =>
        {
            using var g = f.CreateGroup("acquisition/z");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            g.WriteStrings("data", ["a", "b"]).Dispose();
        });
        Assert.Contains("unsupported dtype vlen string", Fails(() => NwbFile.OpenRecording(strings, "z")).Message);
    }

    [Fact]
    public void Spike_index_past_the_end_is_reported()
    {
        using var dir = Fixtures.TempDir();
        var path = MinimalNwb(dir, "units.nwb", (f, _) =>
        {
            using var units = f.CreateGroup("units");
            units.WriteDataset<double>("spike_times", [0.1, 0.2, 0.3]);
            units.WriteDataset<byte>("spike_times_index", [2, 5]);
        });
        using var nwb = NwbFile.Open(path);
        var error = Fails(() => nwb.ReadUnits());
        Assert.Equal($"{path}: /units/spike_times_index: index 5 past the end of spike_times (3 values)", error.Message);
    }

    [Fact]
    public void Spike_tables_that_drop_or_invent_spikes_are_reported_and_unsorted_ones_kept_in_order()
    {
        using var dir = Fixtures.TempDir();
        string Units(string name, double[] times, byte[] index) => MinimalNwb(dir, name, (f, _) =>
        {
            using var units = f.CreateGroup("units");
            units.WriteDataset<double>("spike_times", times);
            units.WriteDataset<byte>("spike_times_index", index);
        });
        var shortIndex = Units("short.nwb", [0.1, 0.2, 0.3, 0.4], [1, 3]);
        using (var nwb = NwbFile.Open(shortIndex))
            Assert.Equal($"{shortIndex}: /units/spike_times_index: the last row ends at 3 but spike_times has 4 values", Fails(() => nwb.ReadUnits()).Message);
        var nan = Units("nan.nwb", [0.1, double.NaN, 0.3], [1, 3]);
        using (var nwb = NwbFile.Open(nan))
            Assert.Equal($"{nan}: /units/spike_times: unit 1: spike time NaN (spike 0)", Fails(() => SpikeTimes.Read(nwb)).Message);
        // The stream gives the table's order; the analysis sorts (SpikeTrainStore).
        var unsorted = Units("unsorted.nwb", [0.1, 0.5, 0.3, 0.2], [1, 4]);
        using (var nwb = NwbFile.Open(unsorted))
            Assert.Equal([0.5, 0.3, 0.2], SpikeTimes.Read(nwb)[1]);
    }

    [Fact]
    public void Timestamp_gaps_and_repeats_say_where_they_are()
    {
        using var dir = Fixtures.TempDir();
        string WithTimestamps(string name, double[] t) => MinimalNwb(dir, name, (f, s) =>
        {
            using var g = f.CreateGroup("acquisition/ts");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            g.WriteDataset<short>("data", new short[t.Length * 2], [t.Length, 2]);
            g.WriteDataset<double>("timestamps", t);
        });
        var gap = Enumerable.Range(0, 1000).Select(i => i / 100.0 + (i >= 600 ? 5 : 0)).ToArray();
        Assert.Contains("a gap at sample 600 (t = 5.99 s", Fails(() => NwbFile.OpenRecording(WithTimestamps("gap.nwb", gap), "ts")).Message);
        var repeat = Enumerable.Range(0, 1000).Select(i => i / 100.0).ToArray();
        repeat[301] = repeat[300];
        Assert.Contains("timestamps go back or repeat at sample 301 (t = 3 s, interval 0 s)", Fails(() => NwbFile.OpenRecording(WithTimestamps("repeat.nwb", repeat), "ts")).Message);
    }

    [Fact]
    public void Non_finite_samples_are_counted_not_fatal()
    {
        using var dir = Fixtures.TempDir();
        var path = MinimalNwb(dir, "nan.nwb", (f, _) =>
        {
            using var g = f.CreateGroup("acquisition/f");
            g.WriteAttribute("neurodata_type", "ElectricalSeries");
            var values = new float[50 * 3];
            values[7] = float.NaN;
            values[100] = float.PositiveInfinity;
            values[149] = float.NegativeInfinity;
            g.WriteDataset<float>("data", values, [50, 3], [8, 3], gzipLevel: 1);
            using var st = g.WriteScalar("starting_time", 2.0);
            st.WriteAttribute("rate", 10.0);
        });
        using var recording = NwbFile.OpenRecording(path, "f");
        Assert.Equal(3, recording.CountNonFinite());
    }

    [Fact]
    public void Channel_conversion_and_offset_apply_per_channel()
    {
        using var dir = Fixtures.TempDir();
        var path = MinimalNwb(dir, "cc.nwb", (_, s) =>
        {
            s.WriteDataset<float>("channel_conversion", [1f, 2f]);
            using var d = s.OpenDataset("data");
            d.WriteAttribute("offset", 0.5);
        });
        using var recording = NwbFile.OpenRecording(path);
        var block = new double[2];
        recording.ReadTraces(1, 1, [0, 1], block);
        Assert.Equal(2 * 1e-6 + 0.5, block[0]);
        Assert.Equal(3 * 1e-6 * 2 + 0.5, block[1]);
    }

    public static TheoryData<string> EveryFixture => new(
        Directory.GetFiles(Fixtures.PathOf("nwb")).Concat(Directory.GetFiles(Fixtures.PathOf("real")))
            .Select(p => Path.GetRelativePath(Fixtures.PathOf(""), p)).Order());

    [Theory]
    [MemberData(nameof(EveryFixture))]
    public void Every_fixture_reads_or_fails_as_bad_input(string relative)
    {
        var path = Fixtures.PathOf(relative);
        if (path.EndsWith(".kwd"))
        {
            using var kwd = PlainHdf5Layout.OpenEphysKwd.Open(path);
            Assert.Equal(16, kwd.Channels.Count);
            return;
        }
        using var nwb = NwbFile.Open(path);
        _ = nwb.ReadMetadata();
        _ = nwb.ReadUnits();
        nwb.ReadSpikeTimes((_, _, _) => { });
        _ = nwb.ReadIntervals();
        foreach (var series in nwb.Series)
        {
            try
            {
                using var recording = nwb.OpenSeries(series.Path);
                var block = new double[recording.Channels.Count * 16];
                recording.ReadTraces(0, (int)Math.Min(16, recording.SampleCount), Enumerable.Range(0, recording.Channels.Count).ToArray(), block);
            }
            catch (EphysInputException error)
            {
                Assert.StartsWith(path, error.Message);
            }
        }
    }
}
