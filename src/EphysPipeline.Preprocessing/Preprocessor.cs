using EphysPipeline.Core;
using EphysPipeline.Core.Fft;
using EphysPipeline.Preprocessing.Filters;
using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing;

/// <summary>
/// A recording with its preprocessing applied, the bad channels put out, and the artifacts found on the result.
/// Disposing it disposes the whole chain, the raw recording included.
/// </summary>
public sealed class PreparedRecording(RecordingStage recording, BadChannelReport badChannels, ArtifactMask artifacts,
    IReadOnlyList<ArtifactThreshold> artifactThresholds, IReadOnlyList<double> notchFrequencies) : IDisposable
{
    /// <summary>The preprocessed recording to analyse (channels = good channels or bipolar derivations).</summary>
    public RecordingStage Recording { get; } = recording;

    /// <summary>Which raw channels were put out and why (positions in the raw recording).</summary>
    public BadChannelReport BadChannels { get; } = badChannels;

    /// <summary>Rejected stretches in <see cref="Recording"/>'s samples (empty when artifact rejection is off).</summary>
    public ArtifactMask Artifacts { get; } = artifacts;

    /// <summary>Per-channel median, MAD and threshold the artifact detector used.</summary>
    public IReadOnlyList<ArtifactThreshold> ArtifactThresholds { get; } = artifactThresholds;

    /// <summary>The line frequencies notched (empty when off).</summary>
    public IReadOnlyList<double> NotchFrequencies { get; } = notchFrequencies;

    public void Dispose() => Recording.Dispose();
}

/// <summary>
/// Builds the configured chain: bad channels detected on the raw data and put out → re-reference →
/// decimate → line-noise notch (after decimation: the same result for lines below the new Nyquist, at a
/// fraction of the cost) → artifacts detected on the result.
/// </summary>
public static class Preprocessor
{
    private const string Setting = "preprocessing options";

    /// <summary>
    /// Builds the chain over <paramref name="raw"/> and runs the detectors. Takes ownership of
    /// <paramref name="raw"/>: it is disposed with the result, or at once if preparation fails.
    /// </summary>
    /// <param name="threads">Threads the detectors may use; the result does not depend on it.</param>
    public static PreparedRecording Prepare(IRecording raw, PreprocessingOptions options, IFftProvider fft, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(options);
        IRecording owned = raw;
        try
        {
            if (options.DecimationFactor < 1) throw new EphysInputException(null, Setting, $"decimation factor must be >= 1, got {options.DecimationFactor}");
            if (options.NotchHarmonics is < 1) throw new EphysInputException(null, Setting, $"notch harmonics must be >= 1, got {options.NotchHarmonics}");
            var badChannels = options.BadChannels is { } bc
                ? BadChannelDetector.Detect(raw, bc, threads)
                : new BadChannelReport([], Enumerable.Range(0, raw.Channels.Count).ToArray());
            if (badChannels.Good.Count == 0)
                throw new EphysInputException(raw.Source, Setting, "no good channel: " + string.Join("; ", badChannels.Bad.Select(b => $"{b.ElectrodeId} {b.Reason}")));

            var kept = options.Thinning is { KeepsAll: false } thinning ? thinning.Select(raw.Channels, badChannels.Good) : null;
            if (kept is not null && options.Reference == ReferenceMode.Bipolar)
                throw new EphysInputException(null, Setting, "channels per region cannot be combined with bipolar re-referencing (the pairs name their channels)");
            RecordingStage chain;
            if (options.Reference != ReferenceMode.None)
            {
                owned = chain = new ChannelSubsetRecording(raw, badChannels.Good);
                owned = chain = new ReferencedRecording(chain, options.Reference, options.BipolarPairs);
                if (kept is not null) owned = chain = new ChannelSubsetRecording(chain, kept);
            }
            else owned = chain = new ChannelSubsetRecording(raw, kept is null ? badChannels.Good : kept.Select(i => badChannels.Good[i]).ToArray());
            if (options.DecimationFactor > 1) owned = chain = new DecimatedRecording(chain, options.DecimationFactor);
            double[] notch = [];
            if (options.NotchBaseHz is { } line)
            {
                notch = FirDesign.Harmonics(line, chain.SampleRate, options.NotchHarmonics);
                if (notch.Length == 0)
                    throw new EphysInputException(null, Setting, $"line frequency {line} Hz has no notch below the Nyquist frequency of {chain.SampleRate / 2} Hz");
                owned = chain = new FilteredRecording(chain, FirDesign.Notch(chain.SampleRate, notch), fft);
            }
            var artifacts = options.Artifacts is { } ao
                ? ArtifactDetector.Detect(chain, ao, threads)
                : new ArtifactReport(ArtifactMask.Empty(chain.SampleCount, chain.SampleRate), []);
            return new PreparedRecording(chain, badChannels, artifacts.Mask, artifacts.Thresholds, notch);
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }
}
