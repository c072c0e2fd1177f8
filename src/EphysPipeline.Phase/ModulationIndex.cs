using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Phase;

/// <summary>
/// Tort et al. 2010 modulation index: P = mean amplitude per phase bin, normalised to sum 1;
/// MI = (ln N − H(P)) / ln N with H(P) = −Σ P ln P. Bins are numpy.digitize over linspace(−π, π, N + 1),
/// the last bin closed at +π. NaN with <see cref="Reason"/> when a bin received no samples.
/// </summary>
public sealed record ModulationIndexResult(double Mi, double[] MeanAmplitude, long Samples, string? Reason);

/// <summary>Streaming phase–amplitude-coupling accumulator (per-bin sums, O(bins) memory).</summary>
public sealed class ModulationIndexAccumulator
{
    private readonly double[] _edges;
    private readonly double _binsPerRadian;
    private readonly double[] _amplitudeSums;
    private readonly long[] _counts;

    public ModulationIndexAccumulator(int bins = 18)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        Bins = bins;
        // Same arithmetic as numpy.linspace, so samples on an edge land in the same bin as numpy's.
        double step = 2 * Math.PI / bins;
        _edges = new double[bins + 1];
        for (int k = 0; k < bins; k++) _edges[k] = k * step + -Math.PI;
        _edges[bins] = Math.PI;
        _binsPerRadian = bins / (2 * Math.PI);
        _amplitudeSums = new double[bins];
        _counts = new long[bins];
    }

    public int Bins { get; }

    /// <summary>Adds samples from the phase band's and the amplitude band's analytic signals (same samples).</summary>
    public void Append(ReadOnlySpan<Complex> phaseBand, ReadOnlySpan<Complex> amplitudeBand)
    {
        if (phaseBand.Length != amplitudeBand.Length)
            throw new ArgumentException($"phase block has {phaseBand.Length} samples, amplitude block {amplitudeBand.Length}");
        // The bins of atan2(im, re) and √(re² + im²), bit for bit, a slice at a time.
        Span<int> bins = stackalloc int[256];
        Span<double> amplitudes = stackalloc double[256];
        for (int at = 0; at < phaseBand.Length; at += bins.Length)
        {
            int n = Math.Min(bins.Length, phaseBand.Length - at);
            BinIndices(phaseBand.Slice(at, n), bins);
            PowerAccumulate.Write(amplitudeBand.Slice(at, n), amplitudes);
            TensorPrimitives.Sqrt(amplitudes[..n], amplitudes);
            Append(bins[..n], amplitudes[..n]);
        }
    }

    /// <summary>Adds samples given as phase (radians) and amplitude.</summary>
    public void Append(ReadOnlySpan<double> phase, ReadOnlySpan<double> amplitude)
    {
        if (phase.Length != amplitude.Length)
            throw new ArgumentException($"phase block has {phase.Length} samples, amplitude block {amplitude.Length}");
        for (int t = 0; t < phase.Length; t++) Add(phase[t], amplitude[t]);
    }

    /// <summary>The bin of each phase (−1 for NaN): several amplitude bands can share one binning of the same phases.</summary>
    public void BinIndices(ReadOnlySpan<double> phase, Span<int> bins)
    {
        if (bins.Length < phase.Length) throw new ArgumentException($"{bins.Length} bin slots for {phase.Length} phases");
        for (int t = 0; t < phase.Length; t++) bins[t] = double.IsNaN(phase[t]) ? -1 : BinOf(phase[t]);
    }

    /// <summary>
    /// The bins of the analytic samples' phases: the same as <see cref="BinIndices(ReadOnlySpan{double}, Span{int})"/>
    /// of Math.Atan2(im, re), without an atan2 per sample. A polynomial angle (error &lt; 1e-10 rad) decides the bin
    /// when it lies more than <see cref="EdgeMargin"/> from both of the bin's edges, where atan2 (within an ulp of the
    /// true angle) cannot fall on the other side; otherwise, for zero, NaN or infinite parts, and without AVX2,
    /// Math.Atan2 decides.
    /// </summary>
    public void BinIndices(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, Span<int> bins)
    {
        if (real.Length != imaginary.Length) throw new ArgumentException($"{real.Length} real parts, {imaginary.Length} imaginary parts");
        if (bins.Length < real.Length) throw new ArgumentException($"{bins.Length} bin slots for {real.Length} samples");
        int n = real.Length, t = 0;
        if (Avx2.IsSupported)
        {
            Span<double> angles = stackalloc double[4];
            ref double x = ref MemoryMarshal.GetReference(real);
            ref double y = ref MemoryMarshal.GetReference(imaginary);
            for (; t <= n - 4; t += 4)
            {
                ApproximateAngle(Vector256.LoadUnsafe(ref x, (nuint)t), Vector256.LoadUnsafe(ref y, (nuint)t)).CopyTo(angles);
                for (int k = 0; k < 4; k++) bins[t + k] = Decide(angles[k], real[t + k], imaginary[t + k]);
            }
        }
        for (; t < n; t++) bins[t] = Decide(double.NaN, real[t], imaginary[t]);
    }

    /// <summary>The same for complex samples.</summary>
    public void BinIndices(ReadOnlySpan<Complex> analytic, Span<int> bins)
    {
        if (bins.Length < analytic.Length) throw new ArgumentException($"{bins.Length} bin slots for {analytic.Length} samples");
        Span<double> re = stackalloc double[256];
        Span<double> im = stackalloc double[256];
        for (int at = 0; at < analytic.Length; at += re.Length)
        {
            int n = Math.Min(re.Length, analytic.Length - at);
            for (int t = 0; t < n; t++) (re[t], im[t]) = (analytic[at + t].Real, analytic[at + t].Imaginary);
            BinIndices(re[..n], im[..n], bins.Slice(at, n));
        }
    }

    /// <summary>Radians within which the polynomial angle leaves the bin to Math.Atan2.</summary>
    public const double EdgeMargin = 1e-7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Decide(double angle, double re, double im)
    {
        double guess = (angle - _edges[0]) * _binsPerRadian;
        // Also false for NaN (zero, NaN or infinite parts), which atan2 then decides.
        if (guess >= 0 && guess < Bins)
        {
            int k = (int)guess;
            if (angle - _edges[k] > EdgeMargin && _edges[k + 1] - angle > EdgeMargin) return k;
        }
        double phase = Math.Atan2(im, re);
        return double.IsNaN(phase) ? -1 : BinOf(phase);
    }

    // atan(q), q = min/max of |re|, |im| in [0, 1], reduced to |q'| ≤ tan(π/8) by atan q = π/4 + atan((q − 1)/(q + 1)),
    // then the odd Taylor series to q'^23 (remainder ≤ 0.4143^25/25 < 2e-11), then unfolded to the quadrant.
    // NaN unless 0 < max(|re|, |im|) and |re| + |im| < ∞.
    private static Vector256<double> ApproximateAngle(Vector256<double> re, Vector256<double> im)
    {
        var ax = Vector256.Abs(re);
        var ay = Vector256.Abs(im);
        var steep = Vector256.GreaterThan(ay, ax);
        var high = Vector256.ConditionalSelect(steep, ay, ax);
        var low = Vector256.ConditionalSelect(steep, ax, ay);
        var q = low / high;
        var valid = Vector256.GreaterThan(high, Vector256<double>.Zero) & Vector256.LessThan(ax + ay, Vector256.Create(double.PositiveInfinity));
        var one = Vector256.Create(1.0);
        var folded = Vector256.GreaterThan(q, Vector256.Create(0.41421356237309503));
        var r = Vector256.ConditionalSelect(folded, (q - one) / (q + one), q);
        var s = r * r;
        var p = Vector256.Create(1.0 / 23);
        for (int k = 21; k >= 1; k -= 2) p = p * -s + Vector256.Create(1.0 / k);
        var angle = r * p + (Vector256.Create(Math.PI / 4) & folded);
        angle = Vector256.ConditionalSelect(steep, Vector256.Create(Math.PI / 2) - angle, angle);
        angle = Vector256.ConditionalSelect(Vector256.LessThan(re, Vector256<double>.Zero), Vector256.Create(Math.PI) - angle, angle);
        angle = Vector256.ConditionalSelect(Vector256.LessThan(im, Vector256<double>.Zero), -angle, angle);
        return Vector256.ConditionalSelect(valid, angle, Vector256.Create(double.NaN));
    }

    /// <summary>Adds samples given as bins from <c>BinIndices</c> (same bin count) and amplitudes.</summary>
    public void Append(ReadOnlySpan<int> bins, ReadOnlySpan<double> amplitude)
    {
        if (bins.Length != amplitude.Length)
            throw new ArgumentException($"phase block has {bins.Length} samples, amplitude block {amplitude.Length}");
        for (int t = 0; t < bins.Length; t++)
        {
            int k = bins[t];
            if (k < 0 || double.IsNaN(amplitude[t])) continue;
            _amplitudeSums[k] += amplitude[t];
            _counts[k]++;
        }
    }

    private void Add(double phase, double amplitude)
    {
        // NaN phase or amplitude (bad samples) would poison a bin; they are skipped.
        if (double.IsNaN(phase) || double.IsNaN(amplitude)) return;
        int k = BinOf(phase);
        _amplitudeSums[k] += amplitude;
        _counts[k]++;
    }

    private int BinOf(double phase)
    {
        // A first guess, then exact comparisons with the edges decide (as numpy.digitize would).
        double guess = (phase - _edges[0]) * _binsPerRadian;
        int k = guess <= 0 ? 0 : guess >= Bins - 1 ? Bins - 1 : (int)guess;
        while (k > 0 && phase < _edges[k]) k--;
        while (k < Bins - 1 && phase >= _edges[k + 1]) k++;
        return k;
    }

    public ModulationIndexResult Result()
    {
        var mean = new double[Bins];
        long samples = 0;
        string? reason = null;
        for (int k = 0; k < Bins; k++)
        {
            samples += _counts[k];
            mean[k] = _counts[k] > 0 ? _amplitudeSums[k] / _counts[k] : double.NaN;
            if (_counts[k] == 0) reason ??= $"phase bin {k} received no samples";
        }
        double total = 0;
        for (int k = 0; k < Bins; k++) total += mean[k];
        if (reason is null && !(total > 0)) reason = "amplitude is zero everywhere";
        if (reason is not null) return new ModulationIndexResult(double.NaN, mean, samples, reason);
        double entropy = 0;
        for (int k = 0; k < Bins; k++)
        {
            double p = mean[k] / total;
            if (p > 0) entropy -= p * Math.Log(p);
        }
        double lnN = Math.Log(Bins);
        return new ModulationIndexResult((lnN - entropy) / lnN, mean, samples, null);
    }
}
