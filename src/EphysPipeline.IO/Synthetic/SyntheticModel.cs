namespace EphysPipeline.IO.Synthetic;

/// <summary>
/// Constants of the synthetic LFP + units model (the ground truth documented in sampledata/README.md).
/// Amplitudes are root-mean-square in volts unless named otherwise.
/// </summary>
public static class SyntheticModel
{
    /// <summary>Volts per int16 count (NWB <c>conversion</c>).</summary>
    public const double Conversion = 1.95e-7;

    /// <summary>Drug effects reach their full size this long after the injection (linear ramp).</summary>
    public const double RampSeconds = 30.0;

    /// <summary>Von Mises concentration of unit firing on local theta phase before the drug.</summary>
    public const double BaselineKappa = 1.0;

    /// <summary>Spectral exponent of the 1/f background.</summary>
    public const double BackgroundExponent = 2.0;

    /// <summary>Refractory period of the units (s).</summary>
    public const double RefractorySeconds = 0.002;

    /// <summary>Peak amplitude of movement artifacts (V).</summary>
    public const double ArtifactPeakVolts = 3e-3;

    /// <summary>Share of time the animal runs before the drug (and under saline, psilocybin, MDMA) with --behaviour.</summary>
    public const double BaselineRunningShare = 0.25;

    /// <summary>Factor on theta oscillation power while running (--behaviour), on top of the drug's.</summary>
    public const double RunningThetaPower = 2.0;

    /// <summary>Factor on gamma oscillation power while running (--behaviour), on top of the drug's.</summary>
    public const double RunningGammaPower = 1.5;

    /// <summary>Sampling rate of the running-speed and position series (Hz).</summary>
    public const double BehaviourRateHz = 50.0;

    /// <summary>Running bouts last 3–9 s (uniform); rest bouts are drawn so the running share is reached on average.</summary>
    internal const double RunBoutMinSeconds = 3.0;
    internal const double RunBoutMaxSeconds = 9.0;

    /// <summary>Speed (cm/s): running 7–13, resting 0.1–0.3 (uniform per speed sample).</summary>
    internal const double RunSpeedMin = 7.0, RunSpeedMax = 13.0, RestSpeedMin = 0.1, RestSpeedMax = 0.3;

    /// <summary>Radius of the circular track the position series follows (cm).</summary>
    internal const double TrackRadiusCm = 20.0;

    internal const double SharedBackgroundRms = 60e-6;
    internal const double ChannelBackgroundRms = 30e-6;
    internal const double WhiteFloorRms = 3e-6;

    internal const double DeltaHz = 2.0;
    internal const double ThetaHz = 8.0;
    internal const double LowGammaHz = 45.0;
    internal const double HighGammaHz = 80.0;
    internal const double LowGammaBandwidthHz = 8.0;
    internal const double HighGammaBandwidthHz = 12.0;

    /// <summary>Depth of the theta-phase amplitude modulation of gamma (PAC): envelope ∝ 1 + d·cos(θ − preferred).</summary>
    internal const double LowGammaModulation = 0.7;
    internal const double HighGammaModulation = 0.5;

    /// <summary>Rms per region: index 0 = PFC, 1 = HPC.</summary>
    internal static readonly double[] DeltaRms = [60e-6, 45e-6];
    internal static readonly double[] ThetaRms = [35e-6, 105e-6];
    internal static readonly double[] LowGammaRms = [40e-6, 45e-6];
    internal static readonly double[] HighGammaRms = [12e-6, 15e-6];

    /// <summary>Theta phase of PFC relative to HPC (rad): PFC lags.</summary>
    internal const double PfcThetaLag = -0.5;

    /// <summary>Spread of per-channel theta/delta phase offsets within a region (rad, uniform ±).</summary>
    internal const double ChannelPhaseSpread = 0.15;

    /// <summary>The ramp 0 → 1 of a drug effect at time t (s).</summary>
    public static double Ramp(double t, double injectionSeconds) => Math.Clamp((t - injectionSeconds) / RampSeconds, 0.0, 1.0);

    /// <summary>Modified Bessel function I0 by its power series (κ ≤ 10 here, 30 terms are exact to double).</summary>
    internal static double BesselI0(double x)
    {
        var term = 1.0;
        var sum = 1.0;
        var q = x * x / 4;
        for (var k = 1; k < 30; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }
}
