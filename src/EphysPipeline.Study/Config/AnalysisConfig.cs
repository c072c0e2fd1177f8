namespace EphysPipeline.Study.Config;

// The analysis config (schema 1): every parameter with its default. configs/default.yaml documents each one.
// Keys are snake_case in YAML; an unknown key is an error.

public sealed class AnalysisConfig
{
    public int Schema { get; set; } = 1;
    public PreprocessingSection Preprocessing { get; set; } = new();
    public SpectralSection Spectral { get; set; } = new();
    public PhaseSection Phase { get; set; } = new();
    public EntropySection Entropy { get; set; } = new();
    public ExecutionSection Execution { get; set; } = new();
    public OutputsSection Outputs { get; set; } = new();
}

public sealed class PreprocessingSection
{
    public int Decimate { get; set; } = 1;
    public NotchSection Notch { get; set; } = new();
    public string Reference { get; set; } = "none";
    public List<List<long>> BipolarPairs { get; set; } = [];
    public BadChannelSection BadChannels { get; set; } = new();
    public ArtifactSection Artifacts { get; set; } = new();
}

public sealed class NotchSection
{
    public double? BaseHz { get; set; }
    public int Harmonics { get; set; } = 3;
}

public sealed class BadChannelSection
{
    public bool Detect { get; set; } = true;
    public double FlatStdFraction { get; set; } = 0.01;
    public double ClippedFraction { get; set; } = 0.01;
}

public sealed class ArtifactSection
{
    public bool Enabled { get; set; } = true;
    public double K { get; set; } = 8;
    public double DilateS { get; set; } = 0.25;
}

public sealed class SpectralSection
{
    public bool Enabled { get; set; } = true;
    public double SegmentS { get; set; } = 2.0;
    public double Overlap { get; set; } = 0.5;
    public string Average { get; set; } = "mean";
    public Dictionary<string, List<double>> Bands { get; set; } = new()
    {
        ["delta"] = [1, 4],
        ["theta"] = [6, 10],
        ["beta"] = [15, 30],
        ["low_gamma"] = [30, 55],
        ["high_gamma"] = [65, 100],
        ["hfo"] = [110, 160],
    };
    public List<double> TotalRange { get; set; } = [1, 100];
    public MultitaperSection Multitaper { get; set; } = new();
    public SpectrogramSection Spectrogram { get; set; } = new();
    public AperiodicSection Aperiodic { get; set; } = new();
}

public sealed class MultitaperSection
{
    public bool Enabled { get; set; }
    public double BandwidthHz { get; set; } = 4.0;
    public bool Adaptive { get; set; }
    public bool LowBias { get; set; } = true;
    public double WindowS { get; set; } = 10.0;
}

public sealed class SpectrogramSection
{
    public bool Enabled { get; set; } = true;
    public double WindowS { get; set; } = 10.0;
    public double StepS { get; set; } = 5.0;
}

public sealed class AperiodicSection
{
    public bool Enabled { get; set; } = true;
    public string Mode { get; set; } = "fixed";
    public List<double> RangeHz { get; set; } = [2, 40];
    public List<double> PeakWidthLimits { get; set; } = [1, 12];
    public int MaxPeaks { get; set; } = 6;
    public double MinPeakHeight { get; set; }
    public double PeakThreshold { get; set; } = 2.0;
}

public sealed class PhaseSection
{
    public bool Enabled { get; set; } = true;
    public List<string> Bands { get; set; } = ["theta", "low_gamma"];
    public bool Coherence { get; set; } = true;
    /// <summary>Memory for the analytic signal's window (MiB): runs that fit are transformed whole, like scipy.</summary>
    public double AnalyticMemoryMb { get; set; } = 128;
    public SpikeFieldSection SpikeField { get; set; } = new();
    public PacSection Pac { get; set; } = new();
}

public sealed class SpikeFieldSection
{
    public bool Enabled { get; set; } = true;
    public List<string> Bands { get; set; } = ["theta"];
    /// <summary>"own" (the unit's own channel), or a region name (the first good channel of that region).</summary>
    public string Channel { get; set; } = "own";
}

public sealed class PacSection
{
    public bool Enabled { get; set; } = true;
    public string PhaseBand { get; set; } = "theta";
    public List<string> AmplitudeBands { get; set; } = ["low_gamma", "high_gamma"];
    public int Bins { get; set; } = 18;
}

public sealed class EntropySection
{
    public bool Enabled { get; set; } = true;
    public int Decimate { get; set; } = 1;
    public SpectralEntropySection Spectral { get; set; } = new();
    public PermutationSection Permutation { get; set; } = new();
    public SampleEntropySection Sample { get; set; } = new();
    public WindowedSection Lz { get; set; } = new() { WindowS = 10 };
    public MultiscaleSection Multiscale { get; set; } = new();
}

public class WindowedSection
{
    public bool Enabled { get; set; } = true;
    public double WindowS { get; set; } = 10;
}

public sealed class SpectralEntropySection : WindowedSection
{
    public double SegmentS { get; set; } = 2.0;
}

public sealed class PermutationSection : WindowedSection
{
    public int Order { get; set; } = 5;
    public int Delay { get; set; } = 1;
}

public sealed class SampleEntropySection : WindowedSection
{
    public SampleEntropySection() => WindowS = 2;
    public int Order { get; set; } = 2;
    public double R { get; set; } = 0.2;
}

public sealed class MultiscaleSection : WindowedSection
{
    public MultiscaleSection() => Enabled = false;
    public int Scales { get; set; } = 5;
    public int Order { get; set; } = 2;
    public double R { get; set; } = 0.2;
}

public sealed class ExecutionSection
{
    /// <summary>Samples per channel read at once (seconds of recording); bounded further by --max-memory.</summary>
    public double BlockS { get; set; } = 30;

    /// <summary>FFT backend: auto (FFTW if it loads, else managed with a warning), fftw or managed. EPHYS_FFT overrides it.</summary>
    public string Fft { get; set; } = "auto";

    /// <summary>BLAS backend: auto (OpenBLAS if it loads, else managed with a warning), openblas or managed. EPHYS_BLAS overrides it.</summary>
    public string Blas { get; set; } = "auto";
}

public sealed class OutputsSection
{
    /// <summary>Table formats: csv (always; the canonical table) and parquet (a typed copy beside each table).</summary>
    public List<string> Formats { get; set; } = ["csv"];

    /// <summary>Also write each session's results as an NWB file (sessions/&lt;id&gt;/ephys_metrics.nwb) for NWB tools.</summary>
    public bool Nwb { get; set; }
}
