using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Config;

/// <summary>Reads an analysis config (defaults for what it leaves out), checks every value, and hashes it.</summary>
public static class ConfigLoader
{
    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Loads <paramref name="path"/>, or the built-in defaults when null.</summary>
    public static AnalysisConfig Load(string? path)
    {
        var config = path is null ? new AnalysisConfig() : ManifestLoader.ParseYaml<AnalysisConfig>(path, File.ReadAllText(path));
        var problems = Check(config);
        if (problems.Count > 0) throw new StudyValidationException(path ?? "built-in defaults", problems);
        return config;
    }

    /// <summary>The fully resolved config as JSON (every parameter, defaults filled in): provenance and hashing.</summary>
    public static string ToCanonicalJson(AnalysisConfig config) => JsonSerializer.Serialize(config, CanonicalJson);

    /// <summary>
    /// SHA-256 of the analysis parameters: everything but `outputs`, which changes file formats, not results, so
    /// switching Parquet on does not redo finished sessions (and the hash of a config without it is unchanged).
    /// </summary>
    public static string Hash(AnalysisConfig config) => Fingerprint.Sha256(JsonSerializer.Serialize(config, AnalysisJson));

    private static readonly JsonSerializerOptions AnalysisJson = new(CanonicalJson)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type != typeof(AnalysisConfig)) return;
                    var outputs = info.Properties.Single(p => p.Name == "outputs");
                    info.Properties.Remove(outputs);
                },
            },
        },
    };

    public static List<string> Check(AnalysisConfig c)
    {
        var p = new List<string>();
        if (c.Schema != 1) p.Add($"schema: version {c.Schema} is not supported (this build reads schema 1)");

        var pre = c.Preprocessing;
        if (pre.Decimate < 1) p.Add("preprocessing.decimate: must be an integer ≥ 1 (1 = off)");
        if (pre.Notch.BaseHz is { } notch && !(notch > 0)) p.Add("preprocessing.notch.base_hz: must be > 0, or null to switch the notch off");
        if (pre.Notch.Harmonics < 1) p.Add("preprocessing.notch.harmonics: must be ≥ 1");
        if (pre.Reference is not ("none" or "average" or "median" or "bipolar"))
            p.Add($"preprocessing.reference: '{pre.Reference}' is not one of none, average, median, bipolar");
        if (pre.Reference == "bipolar" && pre.BipolarPairs.Count == 0) p.Add("preprocessing.bipolar_pairs: give [[a, b], ...] for reference: bipolar");
        if (pre.BipolarPairs.Any(pair => pair.Count != 2)) p.Add("preprocessing.bipolar_pairs: each pair is [a, b] (two channel ids)");
        if (!(pre.BadChannels.FlatStdFraction >= 0)) p.Add("preprocessing.bad_channels.flat_std_fraction: must be ≥ 0");
        if (!(pre.BadChannels.ClippedFraction is > 0 and <= 1)) p.Add("preprocessing.bad_channels.clipped_fraction: must be in (0, 1]");
        if (!(pre.Artifacts.K > 0)) p.Add("preprocessing.artifacts.k: must be > 0");
        if (!(pre.Artifacts.DilateS >= 0)) p.Add("preprocessing.artifacts.dilate_s: must be ≥ 0");

        var s = c.Spectral;
        if (!(s.SegmentS > 0)) p.Add("spectral.segment_s: must be > 0");
        if (!(s.Overlap is >= 0 and < 1)) p.Add("spectral.overlap: must be in [0, 1)");
        if (s.Average is not ("mean" or "median")) p.Add($"spectral.average: '{s.Average}' is not mean or median");
        foreach (var (name, band) in s.Bands)
        {
            if (band.Count != 2 || !(band[0] >= 0) || !(band[1] > band[0])) p.Add($"spectral.bands.{name}: give [low, high] in Hz with low < high");
        }
        if (s.TotalRange.Count != 2 || !(s.TotalRange[1] > s.TotalRange[0])) p.Add("spectral.total_range: give [low, high] in Hz");
        if (!(s.Multitaper.BandwidthHz > 0)) p.Add("spectral.multitaper.bandwidth_hz: must be > 0");
        if (!(s.Multitaper.WindowS > 0)) p.Add("spectral.multitaper.window_s: must be > 0");
        if (!(s.Spectrogram.WindowS > 0) || !(s.Spectrogram.StepS > 0)) p.Add("spectral.spectrogram: window_s and step_s must be > 0");
        if (s.Aperiodic.Mode is not ("fixed" or "knee")) p.Add($"spectral.aperiodic.mode: '{s.Aperiodic.Mode}' is not fixed or knee");
        if (s.Aperiodic.RangeHz.Count != 2 || !(s.Aperiodic.RangeHz[1] > s.Aperiodic.RangeHz[0]) || !(s.Aperiodic.RangeHz[0] > 0))
            p.Add("spectral.aperiodic.range_hz: give [low, high] in Hz with 0 < low < high");
        if (s.Aperiodic.PeakWidthLimits.Count != 2 || !(s.Aperiodic.PeakWidthLimits[1] > s.Aperiodic.PeakWidthLimits[0]))
            p.Add("spectral.aperiodic.peak_width_limits: give [min, max] in Hz");
        if (s.Aperiodic.MaxPeaks < 0) p.Add("spectral.aperiodic.max_peaks: must be ≥ 0");

        var ph = c.Phase;
        foreach (var band in ph.Bands.Concat(ph.SpikeField.Bands).Append(ph.Pac.PhaseBand).Concat(ph.Pac.AmplitudeBands).Distinct())
        {
            if (!s.Bands.ContainsKey(band)) p.Add($"phase: band '{band}' is not defined in spectral.bands");
        }
        if (!(ph.AnalyticMemoryMb >= 1)) p.Add("phase.analytic_memory_mb: must be ≥ 1");
        if (ph.Pac.Bins < 2) p.Add("phase.pac.bins: must be ≥ 2");
        if (string.IsNullOrWhiteSpace(ph.SpikeField.Channel)) p.Add("phase.spike_field.channel: 'own' or a region name");

        var e = c.Entropy;
        if (e.Decimate < 1) p.Add("entropy.decimate: must be an integer ≥ 1 (1 = off)");
        foreach (var (name, w) in new (string, WindowedSection)[]
                 { ("spectral", e.Spectral), ("permutation", e.Permutation), ("sample", e.Sample), ("lz", e.Lz), ("multiscale", e.Multiscale) })
        {
            if (!(w.WindowS > 0)) p.Add($"entropy.{name}.window_s: must be > 0");
        }
        if (!(e.Spectral.SegmentS > 0) || e.Spectral.SegmentS > e.Spectral.WindowS) p.Add("entropy.spectral.segment_s: must be > 0 and ≤ window_s");
        if (e.Permutation.Order is < 3 or > 7) p.Add("entropy.permutation.order: must be 3–7");
        if (e.Permutation.Delay < 1) p.Add("entropy.permutation.delay: must be ≥ 1");
        if (e.Sample.Order < 1) p.Add("entropy.sample.order: must be ≥ 1");
        if (!(e.Sample.R > 0)) p.Add("entropy.sample.r: must be > 0 (a fraction of the window's std)");
        if (e.Multiscale.Scales < 1) p.Add("entropy.multiscale.scales: must be ≥ 1");
        if (e.Multiscale.Order < 1 || !(e.Multiscale.R > 0)) p.Add("entropy.multiscale: order ≥ 1 and r > 0");

        if (!(c.Execution.BlockS > 0)) p.Add("execution.block_s: must be > 0");
        if (c.Execution.Fft is not ("auto" or "fftw" or "managed")) p.Add($"execution.fft: '{c.Execution.Fft}' is not one of auto, fftw, managed");
        if (c.Execution.Blas is not ("auto" or "openblas" or "managed")) p.Add($"execution.blas: '{c.Execution.Blas}' is not one of auto, openblas, managed");
        if (!c.Outputs.Formats.Contains("csv") || c.Outputs.Formats.Any(f => f is not ("csv" or "parquet")))
            p.Add("outputs.formats: csv, optionally with parquet (e.g. [csv, parquet])");
        return p;
    }
}
