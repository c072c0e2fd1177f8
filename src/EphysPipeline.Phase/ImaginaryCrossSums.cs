using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    // The planes' and sums' bounds are checked once in Accumulate; the kernels read through refs so the inner loops carry no
    // bounds checks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileSums(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int stride, int t0, int n, int a, int b, int channels,
        Span<double> imagSums, Span<double> absSums)
    {
        const int w = 8;
        ref double x = ref MemoryMarshal.GetReference(re);
        ref double y = ref MemoryMarshal.GetReference(im);
        nuint r0 = (nuint)(a * stride + t0), r1 = r0 + (nuint)stride, r2 = r1 + (nuint)stride, r3 = r2 + (nuint)stride;
        // Two columns at a time: eight pairs, sixteen accumulators, each row's samples loaded once for both columns.
        for (int j = 0; j < Tile; j += 2)
        {
            nuint c0 = (nuint)((b + j) * stride + t0), c1 = c0 + (nuint)stride;
            Vector512<double> d00 = default, d10 = default, d20 = default, d30 = default, d01 = default, d11 = default, d21 = default, d31 = default;
            Vector512<double> s00 = default, s10 = default, s20 = default, s30 = default, s01 = default, s11 = default, s21 = default, s31 = default;
            int t = 0;
            for (; t <= n - w; t += w)
            {
                nuint u = (nuint)t;
                var xb0 = Vector512.LoadUnsafe(ref x, c0 + u); var yb0 = Vector512.LoadUnsafe(ref y, c0 + u);
                var xb1 = Vector512.LoadUnsafe(ref x, c1 + u); var yb1 = Vector512.LoadUnsafe(ref y, c1 + u);
                var xa = Vector512.LoadUnsafe(ref x, r0 + u); var ya = Vector512.LoadUnsafe(ref y, r0 + u);
                var e0 = ya * xb0 - xa * yb0; var e1 = ya * xb1 - xa * yb1;
                d00 += e0; s00 += Vector512.Abs(e0); d01 += e1; s01 += Vector512.Abs(e1);
                xa = Vector512.LoadUnsafe(ref x, r1 + u); ya = Vector512.LoadUnsafe(ref y, r1 + u);
                e0 = ya * xb0 - xa * yb0; e1 = ya * xb1 - xa * yb1;
                d10 += e0; s10 += Vector512.Abs(e0); d11 += e1; s11 += Vector512.Abs(e1);
                xa = Vector512.LoadUnsafe(ref x, r2 + u); ya = Vector512.LoadUnsafe(ref y, r2 + u);
                e0 = ya * xb0 - xa * yb0; e1 = ya * xb1 - xa * yb1;
                d20 += e0; s20 += Vector512.Abs(e0); d21 += e1; s21 += Vector512.Abs(e1);
                xa = Vector512.LoadUnsafe(ref x, r3 + u); ya = Vector512.LoadUnsafe(ref y, r3 + u);
                e0 = ya * xb0 - xa * yb0; e1 = ya * xb1 - xa * yb1;
                d30 += e0; s30 += Vector512.Abs(e0); d31 += e1; s31 += Vector512.Abs(e1);
            }
            Finish(ref x, ref y, r0, c0, t, n, Vector512.Sum(d00), Vector512.Sum(s00), imagSums, absSums, (a + 0) * channels + b + j);
            Finish(ref x, ref y, r1, c0, t, n, Vector512.Sum(d10), Vector512.Sum(s10), imagSums, absSums, (a + 1) * channels + b + j);
            Finish(ref x, ref y, r2, c0, t, n, Vector512.Sum(d20), Vector512.Sum(s20), imagSums, absSums, (a + 2) * channels + b + j);
            Finish(ref x, ref y, r3, c0, t, n, Vector512.Sum(d30), Vector512.Sum(s30), imagSums, absSums, (a + 3) * channels + b + j);
            Finish(ref x, ref y, r0, c1, t, n, Vector512.Sum(d01), Vector512.Sum(s01), imagSums, absSums, (a + 0) * channels + b + j + 1);
            Finish(ref x, ref y, r1, c1, t, n, Vector512.Sum(d11), Vector512.Sum(s11), imagSums, absSums, (a + 1) * channels + b + j + 1);
            Finish(ref x, ref y, r2, c1, t, n, Vector512.Sum(d21), Vector512.Sum(s21), imagSums, absSums, (a + 2) * channels + b + j + 1);
            Finish(ref x, ref y, r3, c1, t, n, Vector512.Sum(d31), Vector512.Sum(s31), imagSums, absSums, (a + 3) * channels + b + j + 1);
        }
    }

    /// <summary>
    /// <see cref="TileSums"/> with each 8-lane accumulator held as two Vector256, for AVX2 without AVX-512 (where Vector512
    /// is emulated). Lanes 0–3 (samples t..t+3 of each 8) are summed in one pass and lanes 4–7 in a second, two rows ×
    /// two columns at a time, so the eight accumulators and the loaded samples fit the 16 AVX2 registers. Vector512.Sum
    /// is Sum(lower) + Sum(upper), so the sums are the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileSumsHalves(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int stride, int t0, int n, int a, int b, int channels,
        Span<double> imagSums, Span<double> absSums)
    {
        const int w = 8;
        int full = n - n % w;
        ref double x = ref MemoryMarshal.GetReference(re);
        ref double y = ref MemoryMarshal.GetReference(im);
        for (int j = 0; j < Tile; j += 2)
        {
            nuint c0 = (nuint)((b + j) * stride + t0), c1 = c0 + (nuint)stride;
            for (int row = a; row < a + Tile; row += 2)
            {
                nuint r0 = (nuint)(row * stride + t0), r1 = r0 + (nuint)stride;
                var (q00, p00, q10, p10, q01, p01, q11, p11) = Half(ref x, ref y, r0, r1, c0, c1, 0, full);
                var (h00, g00, h10, g10, h01, g01, h11, g11) = Half(ref x, ref y, r0, r1, c0, c1, 4, full);
                Finish(ref x, ref y, r0, c0, full, n, q00 + h00, p00 + g00, imagSums, absSums, row * channels + b + j);
                Finish(ref x, ref y, r1, c0, full, n, q10 + h10, p10 + g10, imagSums, absSums, (row + 1) * channels + b + j);
                Finish(ref x, ref y, r0, c1, full, n, q01 + h01, p01 + g01, imagSums, absSums, row * channels + b + j + 1);
                Finish(ref x, ref y, r1, c1, full, n, q11 + h11, p11 + g11, imagSums, absSums, (row + 1) * channels + b + j + 1);
            }
        }
    }

    /// <summary>Lanes [lane, lane + 4) of every 8 samples in [0, full) for rows r0, r1 × columns c0, c1: (Σ Im S, Σ|Im S|) per pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double, double, double, double, double, double, double, double) Half(ref double x, ref double y, nuint r0, nuint r1,
        nuint c0, nuint c1, int lane, int full)
    {
        Vector256<double> d00 = default, d10 = default, d01 = default, d11 = default;
        Vector256<double> s00 = default, s10 = default, s01 = default, s11 = default;
        for (int t = lane; t < full; t += 8)
        {
            nuint u = (nuint)t;
            var xb0 = Vector256.LoadUnsafe(ref x, c0 + u); var yb0 = Vector256.LoadUnsafe(ref y, c0 + u);
            var xb1 = Vector256.LoadUnsafe(ref x, c1 + u); var yb1 = Vector256.LoadUnsafe(ref y, c1 + u);
            var xa = Vector256.LoadUnsafe(ref x, r0 + u); var ya = Vector256.LoadUnsafe(ref y, r0 + u);
            var e0 = ya * xb0 - xa * yb0; var e1 = ya * xb1 - xa * yb1;
            d00 += e0; s00 += Vector256.Abs(e0); d01 += e1; s01 += Vector256.Abs(e1);
            xa = Vector256.LoadUnsafe(ref x, r1 + u); ya = Vector256.LoadUnsafe(ref y, r1 + u);
            e0 = ya * xb0 - xa * yb0; e1 = ya * xb1 - xa * yb1;
            d10 += e0; s10 += Vector256.Abs(e0); d11 += e1; s11 += Vector256.Abs(e1);
        }
        return (Vector256.Sum(d00), Vector256.Sum(s00), Vector256.Sum(d10), Vector256.Sum(s10),
            Vector256.Sum(d01), Vector256.Sum(s01), Vector256.Sum(d11), Vector256.Sum(s11));
    }

    /// <summary>Adds the samples [t, n) of the pair (row, column) one by one after the lanes' sums, then into the pair's totals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(ref double x, ref double y, nuint row, nuint column, int t, int n, double imag, double abs,
        Span<double> imagSums, Span<double> absSums, int at)
    {
        for (; t < n; t++)
        {
            double e = Unsafe.Add(ref y, row + (nuint)t) * Unsafe.Add(ref x, column + (nuint)t) - Unsafe.Add(ref x, row + (nuint)t) * Unsafe.Add(ref y, column + (nuint)t);
            imag += e;
            abs += Math.Abs(e);
        }
        imagSums[at] += imag;
        absSums[at] += abs;
    }
}
