using System.Diagnostics;
using System.Text.Json;
using EphysPipeline.Native.Hdf5;
using EphysPipeline.Study.Execution;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>spectra.h5 as netCDF-4 labelled arrays: read back by xarray (h5netcdf) in one line per group.</summary>
[Collection(SyntheticStudyCollection.Name)]
public class SpectraFileTests(SyntheticStudyFixture study)
{
    private static JsonElement OpenWithXarray(string path)
    {
        var script = Fixtures.PathOf("xarray/check_spectra.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0,
            $"xarray could not read {path} (the test needs Debian's python3-xarray and python3-h5netcdf; scripts/test.sh installs them): {error}");
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public void StudyFileOpensInXarrayWithNamedDimensionsAndCoordinates()
    {
        var groups = OpenWithXarray(Path.Combine(study.Output, SessionStore.SpectraFile));
        var sessions = study.Manifest.Sessions.Select(s => s.Id).ToList();
        foreach (var session in sessions)
        {
            var psd = groups.GetProperty($"{session}/psd_baseline");
            Assert.Equal(["channel", "frequency"], psd.GetProperty("dims").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal(["channel", "epoch", "frequency", "region", "session"], psd.GetProperty("coords").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal("baseline", psd.GetProperty("epoch").GetString());
            Assert.Equal(session, psd.GetProperty("session").GetString());
            Assert.Equal("V^2/Hz", psd.GetProperty("units").GetString());
            Assert.Equal([0L, 1, 2, 3], psd.GetProperty("channel").EnumerateArray().Select(c => c.GetInt64()));
            Assert.Equal(["PFC", "PFC", "HPC", "HPC"], psd.GetProperty("region").EnumerateArray().Select(c => c.GetString()));

            var spectrogram = groups.GetProperty($"{session}/spectrogram");
            Assert.Equal(["channel", "time", "frequency"], spectrogram.GetProperty("dims").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal(JsonValueKind.Null, spectrogram.GetProperty("epoch").ValueKind);
        }
    }

    [Fact]
    public void LabelsAreTheValuesTheRunnerComputed()
    {
        var path = Path.Combine(study.Output, "sessions", study.Manifest.Sessions[0].Id, SessionStore.SpectraFile);
        var groups = OpenWithXarray(path);
        using var file = Hdf5File.OpenRead(path);
        using var group = file.OpenGroup("psd_acute");
        using var power = group.OpenDataset("power");
        using var frequency = group.OpenDataset(SpectraFile.FrequencyName);
        var values = power.ReadAll<double>();
        var frequencies = frequency.ReadAll<double>();
        var seen = groups.GetProperty("psd_acute");
        Assert.Equal(values.Average(), seen.GetProperty("mean").GetDouble(), 1e-12 * Math.Abs(values.Average()));
        Assert.Equal([frequencies[0], frequencies[^1]], seen.GetProperty("frequency_first_last").EnumerateArray().Select(f => f.GetDouble()));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("session").ValueKind);
        Assert.Equal(2, file.ReadAttributeScalar<int>("schema"));
    }

    [Fact]
    public void ChunksCompressedOnSeveralThreadsReadBackAsWrittenAndGiveTheSameFile()
    {
        var random = new Random(3);
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1e-9).ToArray();
        SpectralArray[] arrays =
        [
            new("psd_baseline", [0, 0.5, 1], null, [1, 2], ["A", "B"], Values(6)) { Epoch = "baseline" },
            new("spectrogram", [0, 1, 2, 3], [5, 10, 15], [1, 2, 3], ["A", "B", "B"], Values(36)),
            new("psd_empty", [], null, [], [], []) { Epoch = "late" },
        ];
        var folder = Directory.CreateTempSubdirectory("spectra-");
        try
        {
            var files = new[] { 1, 3 }.Select(threads =>
            {
                var path = Path.Combine(folder.FullName, $"spectra-{threads}.h5");
                using (var stream = File.Create(path)) SpectraFile.Write(stream, arrays, threads);
                return path;
            }).ToArray();
            var back = SpectraFile.Read(files[1]);
            foreach (var array in arrays)
                Assert.Equal(array.Values, back.Single(a => a.Name == array.Name).Values);
            Assert.Equal(File.ReadAllBytes(files[0]), File.ReadAllBytes(files[1]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
