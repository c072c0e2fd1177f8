using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EphysPipeline.Phase;

/// <summary>
/// For every channel pair a ≤ b: Σ_t Im S and Σ_t |Im S| with S = z_a·conj(z_b), Im S = y_a·x_b − x_a·y_b —
/// the wPLI numerator and denominator (the absolute value rules out a matrix product). Cache-blocked: time in
/// chunks that stay in cache, channel pairs in 4×4 tiles, eight samples per Vector512. Each pair's sums are
/// formed in a fixed order (lanes, then time chunks in order), so any split of the tile rows between threads
/// and any hardware width give bitwise the same result.
/// </summary>
public static class ImaginaryCrossSums
{
    /// <summary>Channels are processed in tiles of this many; planes must hold a multiple of it.</summary>
    public const int Tile = 4;

    /// <summary>Samples per cache block.</summary>
    public const int TimeChunk = 256;

    /// <summary>
    /// Adds Σ Im S into <paramref name="imagSums"/> and Σ|Im S| into <paramref name="absSums"/> (upper triangles of
    /// paddedChannels × paddedChannels, row-major) for the pairs whose first channel lies in tile rows
    /// [<paramref name="firstTileRow"/>, <paramref name="endTileRow"/>). <paramref name="re"/>, <paramref name="im"/>
    /// are channel-major planes with row stride <paramref name="stride"/> and <paramref name="paddedChannels"/> rows
    /// (a multiple of <see cref="Tile"/>; padding rows zero).
    /// </summary>
    public static void Accumulate(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int paddedChannels, int count, int stride,
        Span<double> imagSums, Span<double> absSums, int firstTileRow, int endTileRow) =>
        Accumulate(re, im, paddedChannels, count, stride, imagSums, absSums, firstTileRow, endTileRow,
            halves: !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated);

    /// <param name="halves">Each Vector512 lane group as two Vector256 (without AVX-512 hardware, where Vector512 is
    /// emulated); the same sums bit for bit.</param>
    internal static void Accumulate(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int paddedChannels, int count, int stride,
        Span<double> imagSums, Span<double> absSums, int firstTileRow, int endTileRow, bool halves)
    {
        if (paddedChannels % Tile != 0) throw new ArgumentException($"channel count {paddedChannels} is not a multiple of {Tile}");
        if (count > stride) throw new ArgumentException($"count {count} exceeds row stride {stride}");
        long planeNeeded = paddedChannels == 0 ? 0 : (long)(paddedChannels - 1) * stride + count;
        if (re.Length < planeNeeded || im.Length < planeNeeded) throw new ArgumentException("planes are shorter than channels × stride");
        if (imagSums.Length < paddedChannels * paddedChannels || absSums.Length < paddedChannels * paddedChannels)
            throw new ArgumentException("sums must hold channels × channels");
        if (firstTileRow < 0 || endTileRow > paddedChannels / Tile || firstTileRow > endTileRow)
            throw new ArgumentOutOfRangeException(nameof(firstTileRow), $"tile rows [{firstTileRow}, {endTileRow}) outside [0, {paddedChannels / Tile})");
        for (int t0 = 0; t0 < count; t0 += TimeChunk)
        {
            int n = Math.Min(TimeChunk, count - t0);
            for (int a = firstTileRow * Tile; a < endTileRow * Tile; a += Tile)
            {
                for (int b = a; b < paddedChannels; b += Tile)
                {
                    if (halves) TileSumsHalves(re, im, stride, t0, n, a, b, paddedChannels, imagSums, absSums);
                    else TileSums(re, im, stride, t0, n, a, b, paddedChannels, imagSums, absSums);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileSums(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int stride, int t0, int n, int a, int b, int channels,
        Span<double> imagSums, Span<double> absSums)
    {
        var x0 = re.Slice((a + 0) * stride + t0, n); var y0 = im.Slice((a + 0) * stride + t0, n);
        var x1 = re.Slice((a + 1) * stride + t0, n); var y1 = im.Slice((a + 1) * stride + t0, n);
        var x2 = re.Slice((a + 2) * stride + t0, n); var y2 = im.Slice((a + 2) * stride + t0, n);
        var x3 = re.Slice((a + 3) * stride + t0, n); var y3 = im.Slice((a + 3) * stride + t0, n);
        int w = Vector512<double>.Count;
        for (int j = 0; j < Tile; j++)
        {
            var xb = re.Slice((b + j) * stride + t0, n);
            var yb = im.Slice((b + j) * stride + t0, n);
            var s0 = Vector512<double>.Zero; var s1 = Vector512<double>.Zero;
            var s2 = Vector512<double>.Zero; var s3 = Vector512<double>.Zero;
            var d0 = Vector512<double>.Zero; var d1 = Vector512<double>.Zero;
            var d2 = Vector512<double>.Zero; var d3 = Vector512<double>.Zero;
            int t = 0;
            for (; t <= n - w; t += w)
            {
                var vxb = Vector512.Create(xb.Slice(t, w));
                var vyb = Vector512.Create(yb.Slice(t, w));
                var i0 = Vector512.Create(y0.Slice(t, w)) * vxb - Vector512.Create(x0.Slice(t, w)) * vyb;
                var i1 = Vector512.Create(y1.Slice(t, w)) * vxb - Vector512.Create(x1.Slice(t, w)) * vyb;
                var i2 = Vector512.Create(y2.Slice(t, w)) * vxb - Vector512.Create(x2.Slice(t, w)) * vyb;
                var i3 = Vector512.Create(y3.Slice(t, w)) * vxb - Vector512.Create(x3.Slice(t, w)) * vyb;
                d0 += i0; d1 += i1; d2 += i2; d3 += i3;
                s0 += Vector512.Abs(i0); s1 += Vector512.Abs(i1); s2 += Vector512.Abs(i2); s3 += Vector512.Abs(i3);
            }
            double r0 = Vector512.Sum(s0), r1 = Vector512.Sum(s1), r2 = Vector512.Sum(s2), r3 = Vector512.Sum(s3);
            double q0 = Vector512.Sum(d0), q1 = Vector512.Sum(d1), q2 = Vector512.Sum(d2), q3 = Vector512.Sum(d3);
            for (; t < n; t++)
            {
                double e0 = y0[t] * xb[t] - x0[t] * yb[t], e1 = y1[t] * xb[t] - x1[t] * yb[t];
                double e2 = y2[t] * xb[t] - x2[t] * yb[t], e3 = y3[t] * xb[t] - x3[t] * yb[t];
                q0 += e0; q1 += e1; q2 += e2; q3 += e3;
                r0 += Math.Abs(e0); r1 += Math.Abs(e1); r2 += Math.Abs(e2); r3 += Math.Abs(e3);
            }
            int column = b + j;
            imagSums[(a + 0) * channels + column] += q0; absSums[(a + 0) * channels + column] += r0;
            imagSums[(a + 1) * channels + column] += q1; absSums[(a + 1) * channels + column] += r1;
            imagSums[(a + 2) * channels + column] += q2; absSums[(a + 2) * channels + column] += r2;
            imagSums[(a + 3) * channels + column] += q3; absSums[(a + 3) * channels + column] += r3;
        }
    }

    /// <summary>
    /// <see cref="TileSums"/> with each 8-lane accumulator held as two Vector256 (samples t..t+3 and t+4..t+7), two rows
    /// at a time so the accumulators stay in the 16 AVX2 registers. Vector512.Sum is Sum(lower) + Sum(upper), so the
    /// sums are the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileSumsHalves(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int stride, int t0, int n, int a, int b, int channels,
        Span<double> imagSums, Span<double> absSums)
    {
        const int w = 8, h = 4;
        for (int j = 0; j < Tile; j++)
        {
            var xb = re.Slice((b + j) * stride + t0, n);
            var yb = im.Slice((b + j) * stride + t0, n);
            for (int row = a; row < a + Tile; row += 2)
            {
                var x0 = re.Slice(row * stride + t0, n); var y0 = im.Slice(row * stride + t0, n);
                var x1 = re.Slice((row + 1) * stride + t0, n); var y1 = im.Slice((row + 1) * stride + t0, n);
                Vector256<double> s0l = default, s0h = default, s1l = default, s1h = default;
                Vector256<double> d0l = default, d0h = default, d1l = default, d1h = default;
                int t = 0;
                for (; t <= n - w; t += w)
                {
                    var xl = Vector256.Create(xb.Slice(t, h)); var xh = Vector256.Create(xb.Slice(t + h, h));
                    var yl = Vector256.Create(yb.Slice(t, h)); var yh = Vector256.Create(yb.Slice(t + h, h));
                    var i0l = Vector256.Create(y0.Slice(t, h)) * xl - Vector256.Create(x0.Slice(t, h)) * yl;
                    var i0h = Vector256.Create(y0.Slice(t + h, h)) * xh - Vector256.Create(x0.Slice(t + h, h)) * yh;
                    var i1l = Vector256.Create(y1.Slice(t, h)) * xl - Vector256.Create(x1.Slice(t, h)) * yl;
                    var i1h = Vector256.Create(y1.Slice(t + h, h)) * xh - Vector256.Create(x1.Slice(t + h, h)) * yh;
                    d0l += i0l; d0h += i0h; d1l += i1l; d1h += i1h;
                    s0l += Vector256.Abs(i0l); s0h += Vector256.Abs(i0h); s1l += Vector256.Abs(i1l); s1h += Vector256.Abs(i1h);
                }
                double r0 = Vector256.Sum(s0l) + Vector256.Sum(s0h), r1 = Vector256.Sum(s1l) + Vector256.Sum(s1h);
                double q0 = Vector256.Sum(d0l) + Vector256.Sum(d0h), q1 = Vector256.Sum(d1l) + Vector256.Sum(d1h);
                for (; t < n; t++)
                {
                    double e0 = y0[t] * xb[t] - x0[t] * yb[t], e1 = y1[t] * xb[t] - x1[t] * yb[t];
                    q0 += e0; q1 += e1;
                    r0 += Math.Abs(e0); r1 += Math.Abs(e1);
                }
                int column = b + j;
                imagSums[row * channels + column] += q0; absSums[row * channels + column] += r0;
                imagSums[(row + 1) * channels + column] += q1; absSums[(row + 1) * channels + column] += r1;
            }
        }
    }
}
