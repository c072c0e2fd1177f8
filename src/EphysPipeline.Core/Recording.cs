namespace EphysPipeline.Core;

/// <summary>One recorded channel of a series.</summary>
/// <param name="Index">Column of the channel in the series' data (0-based).</param>
/// <param name="ElectrodeId">Electrode id from the electrodes table (or the column index when there is none).</param>
/// <param name="Region">Brain region (NWB electrodes <c>location</c>), e.g. "PFC"; "unknown" when not given.</param>
/// <param name="Group">Electrode group name, or empty.</param>
public sealed record ChannelInfo(int Index, long ElectrodeId, string Region, string Group);

/// <summary>A sorted unit and where it was recorded; its spike times are read as a stream (<see cref="SpikeTimesVisitor"/>).</summary>
/// <param name="Id">Unit id from the units table.</param>
/// <param name="Row">The unit's row in the units table (0-based).</param>
/// <param name="SpikeCount">Spikes the table holds for the unit.</param>
/// <param name="ElectrodeIds">Electrode ids of the unit (may be empty).</param>
/// <param name="Region">Region of the unit's first electrode, or "unknown".</param>
public sealed record UnitInfo(long Id, int Row, long SpikeCount, IReadOnlyList<long> ElectrodeIds, string Region);

/// <summary>
/// One piece of a unit's spike times (seconds on the file's clock, finite, in the table's order): the unit's table
/// row, the index of the piece's first spike within the unit, and the times. Pieces come row by row, in order.
/// </summary>
public delegate void SpikeTimesVisitor(int row, long firstSpike, ReadOnlySpan<double> times);

/// <summary>A per-unit column of a units table: <see cref="Numbers"/> for numeric columns, else <see cref="Texts"/>.</summary>
public sealed record UnitColumn(string Name, double[]? Numbers, string[]? Texts);

/// <summary>A time interval of the session (NWB epochs / intervals), seconds on the file's clock.</summary>
public sealed record EpochInterval(double Start, double Stop, IReadOnlyList<string> Tags);

/// <summary>Session-level metadata.</summary>
public sealed record SessionMetadata(
    string Identifier,
    string? SessionStartTime,
    string? Description,
    string? SubjectId,
    string? Species,
    string? Pharmacology);

/// <summary>
/// A multichannel continuous recording read lazily in blocks, in volts. Implementations read only what is
/// asked (hyperslabs), so memory does not grow with recording length. Preprocessing stages wrap a parent
/// recording and are themselves recordings (a chain, as in SpikeInterface).
/// Not thread-safe: one reader per thread.
/// </summary>
public interface IRecording : IDisposable
{
    /// <summary>Where the samples come from, for messages: "file.nwb:/acquisition/ElectricalSeries".</summary>
    string Source { get; }

    /// <summary>Samples per second.</summary>
    double SampleRate { get; }

    /// <summary>Samples per channel.</summary>
    long SampleCount { get; }

    /// <summary>Time of sample 0 on the file's clock (s).</summary>
    double StartTime { get; }

    /// <summary>Channels in the order <see cref="ReadTraces"/> indexes them.</summary>
    IReadOnlyList<ChannelInfo> Channels { get; }

    /// <summary>A block length (samples) that reads efficiently (aligned to the storage chunks).</summary>
    int PreferredBlockSamples { get; }

    /// <summary>
    /// Reads samples [start, start + count) of the given channels (indices into <see cref="Channels"/>),
    /// channel-major: <paramref name="destination"/>[k * count + t] is channel channels[k] at sample start + t, in volts.
    /// </summary>
    void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination);
}
