using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing;

/// <summary>
/// The preprocessing chain's settings. Defaults do nothing but detect bad channels and artifacts:
/// no decimation, no notch, no re-referencing.
/// </summary>
/// <param name="DecimationFactor">Keep every q-th sample after the resample_poly anti-alias filter; 1 = off.</param>
/// <param name="NotchBaseHz">Line frequency (50 or 60 Hz) to notch with its harmonics; null = off.</param>
/// <param name="NotchHarmonics">How many of base, 2·base, … to notch (null = all below Nyquist of the decimated rate).</param>
/// <param name="Reference">Re-referencing after bad channels are put out.</param>
/// <param name="BipolarPairs">Electrode-id pairs for <see cref="ReferenceMode.Bipolar"/>.</param>
/// <param name="BadChannels">Bad-channel thresholds, clip limits and listed electrodes.</param>
/// <param name="Artifacts">Artifact thresholds; null = no artifact rejection.</param>
/// <param name="Thinning">Fewer good channels per region (after re-referencing, so a common average still uses every
/// good channel); null = all.</param>
public sealed record PreprocessingOptions(
    int DecimationFactor = 1,
    double? NotchBaseHz = null,
    int? NotchHarmonics = null,
    ReferenceMode Reference = ReferenceMode.None,
    IReadOnlyList<BipolarPair>? BipolarPairs = null,
    BadChannelOptions? BadChannels = null,
    ArtifactOptions? Artifacts = null,
    ChannelThinning? Thinning = null)
{
    /// <summary>Bad channels and artifacts with their default thresholds, nothing else.</summary>
    public static PreprocessingOptions Default { get; } = new(BadChannels: new BadChannelOptions(), Artifacts: new ArtifactOptions());
}
