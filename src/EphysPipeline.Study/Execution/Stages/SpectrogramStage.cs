using EphysPipeline.Spectral;

namespace EphysPipeline.Study.Execution.Stages;

/// <summary>
/// The time course of the session: a Welch spectrogram per channel over the whole recording (every block, epochs or
/// not), frames that touch an artifact NaN. Written to spectra.h5 as "spectrogram" with times relative to the
/// injection, up to the highest configured band.
/// </summary>
internal sealed class SpectrogramStage : IBlockStage
{
    private readonly StageContext _context;
    private readonly SpectrogramAccumulator[] _channels;
    private readonly double _timeOfFirstSample;
    private readonly int _bins;
    // Per channel: frames × bins (only the bins written out) in pages of whole frames, so memory never holds a
    // doubled list nor, at the end, two copies of the spectrogram.
    private readonly List<double[]>[] _pages;
    private readonly int _framesPerPage;
    private readonly int[] _frames;
    private readonly List<double> _times = [];
    private long _next = -1;
    private long _first = -1;

    public SpectrogramStage(StageContext context, double startTime, double injection)
    {
        _context = context;
        var s = context.Config.Spectral;
        // Only the bins written out are kept (frames × bins in memory, not frames × every bin up to Nyquist).
        double maxFrequency = Math.Max(s.TotalRange[1], s.Bands.Values.Max(b => b[1]));
        var options = new SpectrogramOptions(context.Welch(), s.Spectrogram.WindowS, s.Spectrogram.StepS) { MaxFrequency = maxFrequency };
        _channels = Enumerable.Range(0, context.ChannelCount).Select(_ => new SpectrogramAccumulator(options, context.Backends.Fft)).ToArray();
        _timeOfFirstSample = startTime - injection;
        _bins = options.Bins;
        _framesPerPage = Math.Max(1, 8192 / Math.Max(1, _bins));
        _pages = Enumerable.Range(0, context.ChannelCount).Select(_ => new List<double[]>()).ToArray();
        _frames = new int[context.ChannelCount];
    }

    public string Name => "spectrogram";

    public int Margin => 0;

    public bool WantsAllBlocks => true;

    public void BeginEpoch(EpochPlan epoch) { }

    public void EndEpoch(EpochPlan epoch, SessionResult result) { }

    public void Consume(Block block)
    {
        if (_first < 0) _first = _next = block.Start;
        long next = _next;
        Parallel.For(0, _channels.Length, _context.Parallel, c =>
        {
            long position = next;
            foreach (var piece in block.Pieces)
            {
                if (piece.Start > position) _channels[c].Skip(piece.Start - position);
                _channels[c].Append(block.Samples(c, piece.Start, piece.Count));
                position = piece.Start + piece.Count;
            }
            long end = block.Start + block.Count;
            if (end > position) _channels[c].Skip(end - position);
            // Frames hold only the written bins; pages of whole frames keep them without regrowing one array.
            var pages = _pages[c];
            _channels[c].Drain((time, frame) =>
            {
                int k = _frames[c]++ % _framesPerPage;
                if (k == 0) pages.Add(new double[_framesPerPage * _bins]);
                frame.Power.AsSpan(0, _bins).CopyTo(pages[^1].AsSpan(k * _bins, _bins));
                if (c == 0) _times.Add(time);
            });
        });
        _next = block.Start + block.Count;
    }

    public void Finish(SessionResult result)
    {
        if (_first < 0 || _times.Count == 0) return;
        var values = new double[_channels.Length * _times.Count * _bins];
        int frames = _times.Count, perPage = _framesPerPage * _bins;
        for (int c = 0; c < _channels.Length; c++)
        {
            var pages = _pages[c];
            for (int p = 0; p < pages.Count; p++)
            {
                int at = p * perPage, length = Math.Min(perPage, frames * _bins - at);
                pages[p].AsSpan(0, length).CopyTo(values.AsSpan(c * frames * _bins + at, length));
                pages[p] = [];
            }
        }
        double offset = _timeOfFirstSample + _first / _context.SampleRate;
        result.Spectra.Add(new SpectralArray("spectrogram", _channels[0].Frequencies[.._bins], _times.Select(t => offset + t).ToArray(),
            _context.Channels.Select(ch => ch.ElectrodeId).ToArray(), _context.Channels.Select(ch => ch.Region).ToArray(), values));
    }

    public void Dispose()
    {
        foreach (var c in _channels) c.Dispose();
    }
}
