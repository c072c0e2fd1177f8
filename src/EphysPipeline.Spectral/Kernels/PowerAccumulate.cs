using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EphysPipeline.Spectral.Kernels;

/// <summary>|X[k]|² of a complex spectrum, added to or written into a power row.</summary>
public static class PowerAccumulate
{
    /// <summary>accumulator[k] += re² + im².</summary>
    public static void Add(ReadOnlySpan<Complex> spectrum, Span<double> accumulator) => Run(spectrum, accumulator, add: true, 1, scaled: false);

    /// <summary>destination[k] = re² + im².</summary>
    public static void Write(ReadOnlySpan<Complex> spectrum, Span<double> destination) => Run(spectrum, destination, add: false, 1, scaled: false);

    /// <summary>destination[k] = re[k]² + im[k]² from split parts: the bits of <see cref="Write(ReadOnlySpan{Complex}, Span{double})"/>.</summary>
    public static void Write(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, Span<double> destination)
    {
        int n = real.Length;
        if (imaginary.Length != n) throw new ArgumentException($"{n} real parts, {imaginary.Length} imaginary parts", nameof(imaginary));
        if (destination.Length < n) throw new ArgumentException("destination shorter than the parts", nameof(destination));
        ref double x = ref MemoryMarshal.GetReference(real);
        ref double y = ref MemoryMarshal.GetReference(imaginary);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= n - 4; k += 4)
            {
                var a = Vector256.LoadUnsafe(ref x, (nuint)k);
                var b = Vector256.LoadUnsafe(ref y, (nuint)k);
                (a * a + b * b).StoreUnsafe(ref dst, (nuint)k);
            }
        }
        for (; k < n; k++) destination[k] = real[k] * real[k] + imaginary[k] * imaginary[k];
    }

    /// <summary>destination[k] = weight · (re² + im²): the bits <see cref="AddScaled"/> gives on a zero accumulator.</summary>
    public static void WriteScaled(ReadOnlySpan<Complex> spectrum, double weight, Span<double> destination) =>
        Run(spectrum, destination, add: false, weight, scaled: true);

    /// <summary>accumulator[k] += weight · (re² + im²), rounded as that scalar expression.</summary>
    public static void AddScaled(ReadOnlySpan<Complex> spectrum, double weight, Span<double> accumulator) =>
        Run(spectrum, accumulator, add: true, weight, scaled: true);

    private static void Run(ReadOnlySpan<Complex> spectrum, Span<double> target, bool add, double weight, bool scaled)
    {
        int n = spectrum.Length;
        if (target.Length < n) throw new ArgumentException("target shorter than the spectrum", nameof(target));
        ReadOnlySpan<double> ri = MemoryMarshal.Cast<Complex, double>(spectrum);
        ref double src = ref MemoryMarshal.GetReference(ri);
        ref double dst = ref MemoryMarshal.GetReference(target);
        int k = 0;
        if (Avx2.IsSupported)
        {
            // Four bins per step: hadd of squared (re, im) pairs, then restore bin order across the 128-bit lanes.
            for (; k <= n - 4; k += 4)
            {
                var a = Vector256.LoadUnsafe(ref src, (nuint)(2 * k));
                var b = Vector256.LoadUnsafe(ref src, (nuint)(2 * k + 4));
                var p = Avx2.Permute4x64(Avx.HorizontalAdd(a * a, b * b), 0b11_01_10_00);
                if (scaled) p = Vector256.Create(weight) * p;
                if (add) p += Vector256.LoadUnsafe(ref dst, (nuint)k);
                p.StoreUnsafe(ref dst, (nuint)k);
            }
        }
        for (; k < n; k++)
        {
            double re = Unsafe.Add(ref src, 2 * k), im = Unsafe.Add(ref src, 2 * k + 1);
            double p = re * re + im * im;
            if (scaled) p = weight * p;
            Unsafe.Add(ref dst, k) = add ? Unsafe.Add(ref dst, k) + p : p;
        }
    }
}
