using EphysPipeline.Core;
using EphysPipeline.Core.Fft;
using EphysPipeline.Preprocessing.Filters;

namespace EphysPipeline.Preprocessing.Recordings;

/// <summary>
/// The parent filtered by a zero-phase FIR (MNE filter_data semantics, <see cref="ZeroPhaseFir"/>): a block read
/// fetches the parent with (L − 1)/2-sample margins aligned to the FFT grid, so any chunking returns the same
/// values, bitwise, as filtering the whole recording; at the recording's ends MNE's reflect_limited padding applies.
/// </summary>
public sealed class FilteredRecording : RecordingStage
{
    private readonly ZeroPhaseFir _filter;

    public FilteredRecording(IRecording parent, ReadOnlySpan<double> taps, IFftProvider fft) : base(parent)
    {
        _filter = new ZeroPhaseFir(taps, fft);
    }

    /// <summary>The filter's taps.</summary>
    public IReadOnlyList<double> Taps => _filter.Taps;

    /// <summary>Whole FFT steps, at least the parent's preferred block: reads then cost one parent read per block.</summary>
    public override int PreferredBlockSamples =>
        (int)Math.Min(int.MaxValue / 2, (long)_filter.Step * Math.Max(1, (Parent.PreferredBlockSamples + _filter.Step - 1) / _filter.Step));

    public override void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination)
    {
        CheckRequest(start, count, channels, destination);
        if (count == 0 || channels.IsEmpty) return;
        var (from, to) = _filter.SourceRange(SampleCount, start, count);
        int width = (int)(to - from);
        var raw = Scratch((long)width * channels.Length);
        Parent.ReadTraces(from, width, channels, raw);
        for (int k = 0; k < channels.Length; k++)
            _filter.ApplyRange(raw.Slice(k * width, width), from, SampleCount, start, destination.Slice(k * count, count));
    }

    protected override void DisposeStage() => _filter.Dispose();
}
