namespace EphysPipeline.Entropy;

/// <summary>
/// Multiscale entropy (Costa 2002): the window is coarse-grained at scales τ = 1..K by means of non-overlapping
/// blocks of τ samples (a trailing partial block is dropped), and sample entropy of order m is taken at each scale
/// with r fixed from the scale-1 window (factor × std, ddof 0). The area under the curve is the trapezoid over
/// scales with unit spacing: Σ_{τ=1}^{K−1} (SE_τ + SE_{τ+1}) / 2; it is NaN/∞ when any scale is.
/// </summary>
public static class MultiscaleEntropy
{
    /// <summary>Doubles of scratch <see cref="Compute"/> needs: the coarse-grained series plus sample entropy's scratch.</summary>
    public static int ScratchLength(int n, int m) => n + SampleEntropy.ScratchLength(n, m);

    /// <summary>
    /// Per-scale sample entropy into <paramref name="perScale"/> (length K) and the area under the curve.
    /// <paramref name="scratch"/> needs <see cref="ScratchLength"/>(x.Length, m) values.
    /// </summary>
    public static EntropyValue Compute(ReadOnlySpan<double> x, int m, double toleranceFactor, Span<EntropyValue> perScale, Span<double> scratch)
    {
        int scales = perScale.Length;
        if (scales < 1 || m < 1 || m > SampleEntropy.MaxOrder || !(toleranceFactor > 0) || !double.IsFinite(toleranceFactor))
        {
            perScale.Fill(EntropyValue.Invalid(EntropyIssue.InvalidParameter));
            return EntropyValue.Invalid(EntropyIssue.InvalidParameter);
        }
        var issue = x.Length < SampleEntropy.MinimumLength(m) ? EntropyIssue.TooShort : WindowCheck.Inspect(x);
        if (issue != EntropyIssue.None)
        {
            perScale.Fill(EntropyValue.Invalid(issue));
            return EntropyValue.Invalid(issue);
        }
        int needed = ScratchLength(x.Length, m);
        if (scratch.Length < needed)
            throw new ArgumentException($"multiscale entropy of {x.Length} samples needs {needed} scratch values, got {scratch.Length}", nameof(scratch));
        double r = toleranceFactor * NumpyReduction.StandardDeviation(x, scratch);
        var counting = scratch[x.Length..];   // sample entropy's scratch for n samples also fits every shorter scale
        for (int scale = 1; scale <= scales; scale++)
        {
            var coarse = CoarseGrain(x, scale, scratch);
            perScale[scale - 1] = SampleEntropy.ComputeWithTolerance(coarse, m, r, counting);
        }
        return AreaUnderCurve(perScale);
    }

    /// <summary>Means of consecutive non-overlapping blocks of <paramref name="scale"/> samples (a partial last block is dropped), into the start of <paramref name="destination"/>.</summary>
    public static Span<double> CoarseGrain(ReadOnlySpan<double> x, int scale, Span<double> destination)
    {
        int length = x.Length / scale;
        var coarse = destination[..length];
        for (int j = 0; j < length; j++)
        {
            double sum = 0.0;
            var block = x.Slice(j * scale, scale);
            for (int i = 0; i < scale; i++) sum += block[i];
            coarse[j] = sum / scale;
        }
        return coarse;
    }

    /// <summary>Trapezoid over unit-spaced scales; a single scale's area is its value.</summary>
    public static EntropyValue AreaUnderCurve(ReadOnlySpan<EntropyValue> perScale)
    {
        foreach (var v in perScale)
            if (!v.IsValid) return EntropyValue.Invalid(v.Issue);
        if (perScale.Length == 1) return perScale[0];
        double area = 0.0;
        for (int i = 0; i + 1 < perScale.Length; i++) area += (perScale[i].Value + perScale[i + 1].Value) / 2;
        return EntropyValue.Of(area);
    }
}
