using EphysPipeline.Cli;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Cli.Tests;

/// <summary>`ephys inspect` run in-process: output and exit codes for good and bad files.</summary>
[Collection("Console")]
public class InspectCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            var code = EphysCli.Run(args, error);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previous);
        }
    }

    [Fact]
    public void Nwb_file_shows_series_channels_units_epochs_subject_and_pharmacology()
    {
        var (code, output, error) = Run("inspect", Fixtures.PathOf("nwb/ketamine_m01.nwb"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("/acquisition/ElectricalSeries  180000 × 8  int16  1000", output);
        Assert.Contains("chunks 1000×8, gzip(4)", output);
        Assert.Contains("PFC     4         0–3", output);
        Assert.Contains("HPC     4         4–7", output);
        Assert.Contains("total   8      8200", output);
        Assert.Contains("epochs  60         180       drug", output);
        Assert.Contains("pharmacology   ketamine i.p. at 60 s", output);
        Assert.Contains("species        Mus musculus", output);
    }

    [Fact]
    public void Session_folder_lists_every_series_of_every_file_and_suggests_a_manifest()
    {
        using var dir = Fixtures.TempDir();
        foreach (var name in new[] { "ketamine_m01.nwb", "psilocybin_m02_lfp.nwb", "saline_m01_timestamps.nwb" })
            File.Copy(Fixtures.PathOf("nwb/" + name), Path.Combine(dir.Path, name));
        File.WriteAllText(Path.Combine(dir.Path, "broken.nwb"), "not hdf5");
        var (code, output, error) = Run("inspect", dir.Path);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Matches(@"ketamine_m01\.nwb\s+/acquisition/ElectricalSeries\s+shank_HPC, shank_PFC\s+1000\s+8\s+HPC 4, PFC 4\s+0\.000–180\.000", output);
        Assert.Matches(@"psilocybin_m02_lfp\.nwb\s+/processing/ecephys/LFP/LFP\s+", output);
        Assert.Matches(@"saline_m01_timestamps\.nwb\s+/acquisition/ElectricalSeries\s+shank_HPC, shank_PFC\s+1000\s+4\s+HPC 2, PFC 2\s+0\.000–120\.000", output);
        Assert.Matches(@"broken\.nwb\s+—\s+0\s+.*not an HDF5 file", output);
        Assert.Contains("time covered by every series (s)  0.000–120.000 (120.0 s)", output);
        Assert.Contains($"    file: {Path.Combine(dir.Path, "ketamine_m01.nwb")}", output);
        Assert.Contains("    injection_tag: drug", output);
        Assert.Contains("# pharmacology: ketamine i.p. at 60 s", output);
        Assert.Contains("    probes:", output);
        Assert.Contains("      - {name: ElectricalSeries, series: /acquisition/ElectricalSeries}", output);
        Assert.Contains($"      - {{name: LFP, file: {Path.Combine(dir.Path, "psilocybin_m02_lfp.nwb")}, series: /processing/ecephys/LFP/LFP}}", output);
        Assert.Contains($"      - {{name: saline_m01_timestamps-ElectricalSeries, file: {Path.Combine(dir.Path, "saline_m01_timestamps.nwb")}", output);
    }

    [Fact]
    public void Behavioural_series_and_interval_tables_are_listed_with_a_state_entry()
    {
        using var dir = Fixtures.TempDir();
        Assert.Equal(0, Run("synth", "--out", dir.Path, "--behaviour", "--subjects", "1", "--channels", "2", "--minutes", "3", "--injection", "60").Code);
        var (code, output, error) = Run("inspect", Path.Combine(dir.Path, "m01_ketamine.nwb"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("== State sources", output);
        Assert.Matches(@"/processing/behavior/running_speed\s+TimeSeries, 9001 × 1 cm/s, 50 Hz, 0–180 s\s+\{series: running_speed, above: …, min_bout_s: …\}", output);
        Assert.Matches(@"/processing/behavior/Position/position\s+SpatialSeries, 9001 × 2 cm, 50 Hz, 0–180 s\s+\{series: position, quantity: speed, above: …, min_bout_s: …\}", output);
        Assert.Contains("/intervals/behaviour_truth", output);
        Assert.Contains("tags rest, run", output);
        Assert.Contains("{intervals: behaviour_truth, tag: rest}", output);
    }

    [Fact]
    public void Lfp_in_a_processing_module_and_timestamps_series_are_listed()
    {
        var lfp = Run("inspect", Fixtures.PathOf("nwb/psilocybin_m02_lfp.nwb"));
        Assert.Equal(0, lfp.Code);
        Assert.Contains("/processing/ecephys/LFP/LFP  180000 × 8  float32", lfp.Output);
        Assert.Contains("contiguous", lfp.Output);
        var timestamps = Run("inspect", Fixtures.PathOf("nwb/saline_m01_timestamps.nwb"), "--scan");
        Assert.Equal(0, timestamps.Code);
        Assert.Contains("120000 × 4", timestamps.Output);
        Assert.Matches(@"contiguous\s+1\.95E-07\s+0", timestamps.Output);
    }

    [Fact]
    public void Kwd_and_yaml_layouts_read_plain_hdf5()
    {
        var kwd = Fixtures.PathOf("real/oe_data_stream_16ch_hippocampus_8e12dab.kwd");
        var preset = Run("inspect", kwd);
        Assert.Equal(0, preset.Code);
        Assert.Contains("recordings/0/data  66438 × 16  int16  40000", preset.Output);
        Assert.Contains("5E-08", preset.Output);
        using var dir = Fixtures.TempDir();
        var layout = dir.File("layout.yaml");
        File.WriteAllText(layout, """
            dataset: recordings/0/data
            sample_rate_attribute: "recordings/0:sample_rate"
            orientation: samples_by_channels
            scale_attribute: "recordings/0/application_data:channel_bit_volts"
            scale_attribute_unit: uV
            regions: [CA1]
            """);
        var yaml = Run("inspect", kwd, "--layout", layout);
        Assert.Equal(0, yaml.Code);
        Assert.Contains("plain HDF5 (layout layout.yaml)", yaml.Output);
        Assert.Contains("CA1     16        0–15", yaml.Output);
    }

    [Fact]
    public void Files_without_usable_series_still_inspect_and_say_why()
    {
        var allen = Run("inspect", Fixtures.PathOf("real/nwblinkml_aibs_ecephys.nwb"));
        Assert.Equal(0, allen.Code);
        Assert.Contains("electrodes table region has 10 rows for 87 data channels", allen.Output);
        var pynapple = Run("inspect", Fixtures.PathOf("real/pynapple_A8604-211122.nwb"));
        Assert.Equal(0, pynapple.Code);
        Assert.Contains("no ElectricalSeries; file contains units: 3", pynapple.Output);
        Assert.Contains("total    3      21354", pynapple.Output);
        var dandi = Run("inspect", Fixtures.PathOf("real/dandicli_sub-anm369963_ses-20170228.nwb"));
        Assert.Equal(0, dandi.Code);
        Assert.Contains("trials  178 rows", dandi.Output);
    }

    [Fact]
    public void Bad_files_exit_1_with_one_line_on_stderr()
    {
        using var dir = Fixtures.TempDir();
        var missing = Run("inspect", dir.File("none.nwb"));
        Assert.Equal(1, missing.Code);
        Assert.Equal($"ephys: {dir.File("none.nwb")}: file not found", missing.Error.TrimEnd());
        var text = dir.File("notes.nwb");
        File.WriteAllText(text, "not hdf5");
        var notHdf5 = Run("inspect", text);
        Assert.Equal(1, notHdf5.Code);
        Assert.Equal($"ephys: {text}: not an HDF5 file (no HDF5 signature)", notHdf5.Error.TrimEnd());
        var badLayout = dir.File("bad.yaml");
        File.WriteAllText(badLayout, "dataset: nope\nsample_rate: 1000\nscale_to_volts: 1e-6\n");
        var layout = Run("inspect", Fixtures.PathOf("real/oe_data_stream_16ch_hippocampus_8e12dab.kwd"), "--layout", badLayout);
        Assert.Equal(1, layout.Code);
        Assert.EndsWith("nope: dataset not found", layout.Error.TrimEnd());
        Assert.DoesNotContain("\n", layout.Error.TrimEnd());
    }

    [Fact]
    public void Verbose_is_accepted_after_any_command()
    {
        var (code, output, _) = Run("inspect", Fixtures.PathOf("nwb/saline_m01_timestamps.nwb"), "--verbose");
        Assert.Equal(0, code);
        Assert.Contains("120000 × 4", output);
    }

    [Fact]
    public void Usage_errors_exit_1_and_help_exits_0()
    {
        Assert.Equal(1, Run("inspect").Code);
        var help = Run("inspect", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--layout", help.Output);
    }
}
