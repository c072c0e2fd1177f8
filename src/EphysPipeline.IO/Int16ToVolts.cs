using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EphysPipeline.IO;

/// <summary>
/// volts = stored × gain + offset from an interleaved (samples × channels) int16 block into channel-major rows. Eight
/// channels × eight samples at a time: the 8×8 int16 tile is transposed in registers (three rounds of unpacks), so every
/// load and store is a whole vector instead of one value per cache line. Each value is the scalar expression's
/// multiply then add (no fused multiply-add), so the bits are those of the scalar loop.
/// </summary>
internal static class Int16ToVolts
{
    public static bool IsAccelerated => Sse2.IsSupported && Avx2.IsSupported;

    /// <summary>
    /// Rows [from, to) of channels column0 .. column0 + channels − 1 of a block <paramref name="width"/> values wide;
    /// channel k goes to destination[k · stride + t].
    /// </summary>
    public static unsafe void Convert(short* block, int width, int column0, int channels, int from, int to, double* gains, double offset,
        double* destination, long stride)
    {
        int k = 0;
        if (IsAccelerated)
        {
            for (; k + 8 <= channels; k += 8)
            {
                int t = from;
                for (; t + 8 <= to; t += 8) Tile(block + (long)t * width + column0 + k, width, gains + k, offset, destination + k * stride + t, stride);
                Scalar(block, width, column0, k, k + 8, t, to, gains, offset, destination, stride);
            }
        }
        Scalar(block, width, column0, k, channels, from, to, gains, offset, destination, stride);
    }

    private static unsafe void Scalar(short* block, int width, int column0, int firstChannel, int endChannel, int from, int to, double* gains,
        double offset, double* destination, long stride)
    {
        for (int k = firstChannel; k < endChannel; k++)
        {
            double g = gains[k];
            double* row = destination + k * stride;
            for (int t = from; t < to; t++) row[t] = block[(long)t * width + column0 + k] * g + offset;
        }
    }

    private static unsafe void Tile(short* source, int width, double* gains, double offset, double* destination, long stride)
    {
        var r0 = Sse2.LoadVector128(source);
        var r1 = Sse2.LoadVector128(source + width);
        var r2 = Sse2.LoadVector128(source + 2L * width);
        var r3 = Sse2.LoadVector128(source + 3L * width);
        var r4 = Sse2.LoadVector128(source + 4L * width);
        var r5 = Sse2.LoadVector128(source + 5L * width);
        var r6 = Sse2.LoadVector128(source + 6L * width);
        var r7 = Sse2.LoadVector128(source + 7L * width);
        // Rows of 16-bit pairs, then 32-bit quads, then 64-bit halves: c_j holds channel j at the eight samples.
        var a0 = Sse2.UnpackLow(r0, r1).AsInt32();
        var a1 = Sse2.UnpackHigh(r0, r1).AsInt32();
        var a2 = Sse2.UnpackLow(r2, r3).AsInt32();
        var a3 = Sse2.UnpackHigh(r2, r3).AsInt32();
        var a4 = Sse2.UnpackLow(r4, r5).AsInt32();
        var a5 = Sse2.UnpackHigh(r4, r5).AsInt32();
        var a6 = Sse2.UnpackLow(r6, r7).AsInt32();
        var a7 = Sse2.UnpackHigh(r6, r7).AsInt32();
        var b0 = Sse2.UnpackLow(a0, a2).AsInt64();
        var b1 = Sse2.UnpackHigh(a0, a2).AsInt64();
        var b2 = Sse2.UnpackLow(a1, a3).AsInt64();
        var b3 = Sse2.UnpackHigh(a1, a3).AsInt64();
        var b4 = Sse2.UnpackLow(a4, a6).AsInt64();
        var b5 = Sse2.UnpackHigh(a4, a6).AsInt64();
        var b6 = Sse2.UnpackLow(a5, a7).AsInt64();
        var b7 = Sse2.UnpackHigh(a5, a7).AsInt64();
        Store(Sse2.UnpackLow(b0, b4).AsInt16(), gains[0], offset, destination);
        Store(Sse2.UnpackHigh(b0, b4).AsInt16(), gains[1], offset, destination + stride);
        Store(Sse2.UnpackLow(b1, b5).AsInt16(), gains[2], offset, destination + 2 * stride);
        Store(Sse2.UnpackHigh(b1, b5).AsInt16(), gains[3], offset, destination + 3 * stride);
        Store(Sse2.UnpackLow(b2, b6).AsInt16(), gains[4], offset, destination + 4 * stride);
        Store(Sse2.UnpackHigh(b2, b6).AsInt16(), gains[5], offset, destination + 5 * stride);
        Store(Sse2.UnpackLow(b3, b7).AsInt16(), gains[6], offset, destination + 6 * stride);
        Store(Sse2.UnpackHigh(b3, b7).AsInt16(), gains[7], offset, destination + 7 * stride);
    }

    private static unsafe void Store(Vector128<short> samples, double gain, double offset, double* destination)
    {
        var wide = Avx2.ConvertToVector256Int32(samples);
        if (Avx512F.IsSupported)
        {
            var volts = Avx512F.Add(Avx512F.Multiply(Avx512F.ConvertToVector512Double(wide), Vector512.Create(gain)), Vector512.Create(offset));
            volts.Store(destination);
            return;
        }
        var g = Vector256.Create(gain);
        var o = Vector256.Create(offset);
        Avx.Add(Avx.Multiply(Avx.ConvertToVector256Double(wide.GetLower()), g), o).Store(destination);
        Avx.Add(Avx.Multiply(Avx.ConvertToVector256Double(wide.GetUpper()), g), o).Store(destination + 4);
    }
}
