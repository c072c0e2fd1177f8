using EphysPipeline.Core;
using EphysPipeline.Preprocessing.Quality;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>An epoch in the analysed recording's samples: [Start, Stop).</summary>
internal sealed record EpochPlan(string Name, long Start, long Stop, double StartS, double EndS, double RejectedFraction)
{
    public long Length => Stop - Start;
}

/// <summary>A clean (artifact-free) stretch of a block's core: absolute samples [Start, Start + Count).</summary>
internal readonly record struct Piece(long Start, int Count, bool NewRun);

/// <summary>
/// One block of samples for every analysed channel, with margins around its core for filters:
/// channel-major, Data[c * Stride + i] is channel c at sample Start − Left + i.
/// </summary>
internal sealed class Block
{
    /// <param name="capacity">Values to allocate up front (every channel, margins included); Load grows past it if needed.</param>
    public Block(int capacity) => Data = new double[capacity];

    public double[] Data { get; private set; }
    public int Channels { get; private set; }
    public long Start { get; private set; }
    public int Count { get; private set; }
    public int Left { get; private set; }
    public int Right { get; private set; }
    public int Stride => Left + Count + Right;

    /// <summary>Clean (artifact-free) pieces of the core; NewRun marks a gap before the piece.</summary>
    public List<Piece> Pieces { get; } = [];

    /// <summary>The epoch the core lies in, or null between epochs.</summary>
    public EpochPlan? Epoch { get; private set; }

    /// <param name="excluded">Samples no stage analyses (artifacts, outside the state).</param>
    public void Load(IRecording recording, ReadOnlySpan<int> channels, long start, int count, int margin, EpochPlan? epoch, ArtifactMask excluded)
    {
        Channels = channels.Length;
        Start = start;
        Count = count;
        Left = LeftMargin(start, margin);
        Right = RightMargin(recording, start, count, margin);
        Epoch = epoch;
        int needed = Channels * Stride;
        if (Data.Length < needed) Data = new double[needed];
        recording.ReadTraces(start - Left, Stride, channels, Data.AsSpan(0, needed));
        // A non-finite sample inside the excluded samples (artifact detection flags every one) is never analysed; as 0
        // it cannot spread through the band-pass filters of phase measures into the clean samples around it. Outside
        // them (artifact detection off) it stays, so the values it touches come out NaN rather than silently wrong.
        var data = Data.AsSpan(0, needed);
        for (int i = 0; i < data.Length; i++)
        {
            if (double.IsFinite(data[i])) continue;
            long sample = start - Left + i % Stride;
            if (excluded.Touches(sample, sample + 1)) data[i] = 0;
        }
        Pieces.Clear();
    }

    /// <summary>Samples per channel of the block [start, start + count) with its margins.</summary>
    public static long ExtendedLength(IRecording recording, long start, int count, int margin) =>
        LeftMargin(start, margin) + count + RightMargin(recording, start, count, margin);

    private static int LeftMargin(long start, int margin) => (int)Math.Min(margin, start);

    private static int RightMargin(IRecording recording, long start, int count, int margin) =>
        (int)Math.Min(margin, recording.SampleCount - (start + count));

    /// <summary>Samples [start, start + count) of channel c (absolute sample indices, inside the margins).</summary>
    public ReadOnlySpan<double> Samples(int channel, long start, int count) =>
        Data.AsSpan(channel * Stride + Left + (int)(start - Start), count);

    /// <summary>The whole extended row (margins included) of channel c.</summary>
    public ReadOnlySpan<double> Row(int channel) => Data.AsSpan(channel * Stride, Stride);
}

/// <summary>A metric family computed from the blocks of one streaming pass over a session.</summary>
internal interface IBlockStage : IDisposable
{
    /// <summary>The stage's name in timings ("spectral", "entropy", ...).</summary>
    string Name { get; }

    /// <summary>Samples of context each side of a block's core that the stage needs.</summary>
    int Margin { get; }

    void BeginEpoch(EpochPlan epoch);

    /// <summary>Called for every block inside an epoch (with its clean pieces) and, when <see cref="WantsAllBlocks"/>, outside too.</summary>
    void Consume(Block block);

    void EndEpoch(EpochPlan epoch, SessionResult result);

    /// <summary>Stages with a whole-session view (the spectrogram) see blocks between epochs too.</summary>
    bool WantsAllBlocks => false;

    /// <summary>Called once after the pass's last block, before <see cref="Finish"/>: drops what only the pass needs.</summary>
    void EndPass() { }

    /// <summary>Called once after the pass.</summary>
    void Finish(SessionResult result) { }
}
