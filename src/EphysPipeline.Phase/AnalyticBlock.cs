using System.Numerics;

namespace EphysPipeline.Phase;

/// <summary>
/// A view of analytic-signal samples: <see cref="Channels"/> rows of <see cref="Count"/> samples, the real parts and
/// the imaginary parts in two planes, row c at [offset + c · <see cref="Stride"/>, + Count) of each.
/// <see cref="AnalyticSignalStream"/> hands out views of its own window buffers, valid only during the handler call;
/// consumers read the planes in place, so no interleaved copy of a block is ever made.
/// </summary>
public readonly struct AnalyticBlock
{
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly int _offset;

    public AnalyticBlock(double[] real, double[] imaginary, int channels, int count, int stride, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (channels > 1) ArgumentOutOfRangeException.ThrowIfLessThan(stride, count);
        long end = channels == 0 ? 0 : offset + (long)(channels - 1) * stride + count;
        if (end > real.Length || end > imaginary.Length)
            throw new ArgumentException($"{channels} rows of {count} samples at stride {stride} from {offset} exceed planes of {real.Length} and {imaginary.Length}");
        (_re, _im, _offset) = (real, imaginary, offset);
        (Channels, Count, Stride) = (channels, count, stride);
    }

    public int Channels { get; }

    /// <summary>Samples per channel.</summary>
    public int Count { get; }

    /// <summary>Distance between rows in the planes.</summary>
    public int Stride { get; }

    public ReadOnlySpan<double> Real(int channel) => _re.AsSpan(Row(channel), Count);

    public ReadOnlySpan<double> Imaginary(int channel) => _im.AsSpan(Row(channel), Count);

    /// <summary>Rows [first, first + channels).</summary>
    public AnalyticBlock Rows(int first, int channels)
    {
        if ((uint)first > (uint)Channels || (uint)channels > (uint)(Channels - first))
            throw new ArgumentOutOfRangeException(nameof(channels), $"rows {first}+{channels} of {Channels}");
        return new AnalyticBlock(_re, _im, channels, Count, Stride, _offset + first * Stride);
    }

    /// <summary>Samples [start, start + count) of every row.</summary>
    public AnalyticBlock Samples(int start, int count)
    {
        if ((uint)start > (uint)Count || (uint)count > (uint)(Count - start))
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {start}+{count} of {Count}");
        return new AnalyticBlock(_re, _im, Channels, count, Stride, _offset + start);
    }

    /// <summary>Planes copied from a channel-major complex block (tests, benchmarks, callers that hold complex samples).</summary>
    public static AnalyticBlock FromComplex(ReadOnlySpan<Complex> channelMajor, int channels, int count)
    {
        if (channelMajor.Length != (long)channels * count)
            throw new ArgumentException($"block holds {channelMajor.Length} values, expected {channels}×{count}");
        var re = new double[channelMajor.Length];
        var im = new double[channelMajor.Length];
        for (int i = 0; i < channelMajor.Length; i++) (re[i], im[i]) = (channelMajor[i].Real, channelMajor[i].Imaginary);
        return new AnalyticBlock(re, im, channels, count, count, 0);
    }

    /// <summary>The samples as a channel-major complex array.</summary>
    public Complex[] ToComplex()
    {
        var z = new Complex[Channels * Count];
        for (int c = 0; c < Channels; c++)
        {
            var re = Real(c);
            var im = Imaginary(c);
            for (int t = 0; t < Count; t++) z[c * Count + t] = new Complex(re[t], im[t]);
        }
        return z;
    }

    private int Row(int channel)
    {
        if ((uint)channel >= (uint)Channels) throw new ArgumentOutOfRangeException(nameof(channel), $"channel {channel} of {Channels}");
        return _offset + channel * Stride;
    }
}
