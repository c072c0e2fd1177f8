namespace EphysPipeline.Entropy;

/// <summary>
/// Sample entropy −ln(A/B) with antropy's counting rule (_numba_sampen): template pairs (i, j), i &lt; j, among
/// the first N − m templates; Chebyshev distance; a pair matches when every |x[i+l] − x[j+l]| &lt; r (strict).
/// B counts m-long matches, A (m+1)-long ones. A = 0 gives +∞ (<see cref="EntropyIssue.NoMatches"/>); B = 0 gives
/// NaN (<see cref="EntropyIssue.NoTemplateMatches"/>; antropy returns 0 there, which would read as "perfectly regular").
/// </summary>
/// <remarks>
/// The counts are exact integers, equal to antropy's: only pairs whose first samples are within r are visited
/// (templates sorted by first sample), and every "within r" decision is the same floating-point comparison antropy
/// makes (see <see cref="TemplateMatchCounter"/>).
/// </remarks>
public static class SampleEntropy
{
    public const int MaxOrder = 32;

    /// <summary>Fewest samples for which antropy's loop counts anything: m + 2.</summary>
    public static int MinimumLength(int m) => m + 2;

    /// <summary>
    /// Doubles of scratch that <see cref="Compute(ReadOnlySpan{double}, int, double, Span{double})"/>,
    /// <see cref="ComputeWithTolerance(ReadOnlySpan{double}, int, double, Span{double})"/> and
    /// <see cref="CountMatches(ReadOnlySpan{double}, int, double, Span{double})"/> need for n samples: at least n,
    /// ≈ (4.5 + m/4)·n for n ≤ 65 535.
    /// </summary>
    public static int ScratchLength(int n, int m) =>
        m < 1 || m > MaxOrder || n < MinimumLength(m) ? Math.Max(n, 0) : Math.Max(n, TemplateMatchCounter.ScratchLength(n, m));

    /// <summary>
    /// Sample entropy with r = <paramref name="toleranceFactor"/> × std(x, ddof 0), std in numpy's order.
    /// <paramref name="scratch"/> needs <see cref="ScratchLength"/>(x.Length, m) values.
    /// </summary>
    public static EntropyValue Compute(ReadOnlySpan<double> x, int m, double toleranceFactor, Span<double> scratch)
    {
        if (m < 1 || m > MaxOrder || !(toleranceFactor > 0) || !double.IsFinite(toleranceFactor))
            return EntropyValue.Invalid(EntropyIssue.InvalidParameter);
        if (x.Length < MinimumLength(m)) return EntropyValue.Invalid(EntropyIssue.TooShort);
        var issue = WindowCheck.Inspect(x);
        if (issue != EntropyIssue.None) return EntropyValue.Invalid(issue);
        double r = toleranceFactor * NumpyReduction.StandardDeviation(x, scratch);
        return ComputeWithTolerance(x, m, r, scratch);
    }

    /// <summary>Sample entropy with r = 0.2 × std, allocating its scratch.</summary>
    public static EntropyValue Compute(ReadOnlySpan<double> x, int m = 2) => Compute(x, m, 0.2, new double[ScratchLength(x.Length, m)]);

    /// <summary>As below, allocating its scratch.</summary>
    public static EntropyValue ComputeWithTolerance(ReadOnlySpan<double> x, int m, double r) =>
        ComputeWithTolerance(x, m, r, new double[ScratchLength(x.Length, m)]);

    /// <summary>
    /// Sample entropy with an absolute tolerance r (multiscale entropy fixes r from scale 1).
    /// <paramref name="scratch"/> needs <see cref="ScratchLength"/>(x.Length, m) values.
    /// </summary>
    public static EntropyValue ComputeWithTolerance(ReadOnlySpan<double> x, int m, double r, Span<double> scratch)
    {
        if (m < 1 || m > MaxOrder || !(r > 0) || !double.IsFinite(r)) return EntropyValue.Invalid(EntropyIssue.InvalidParameter);
        if (x.Length < MinimumLength(m)) return EntropyValue.Invalid(EntropyIssue.TooShort);
        var issue = WindowCheck.Inspect(x);
        if (issue == EntropyIssue.NonFinite) return EntropyValue.Invalid(issue);
        var (a, b) = CountMatches(x, m, r, scratch);
        if (b == 0) return EntropyValue.Invalid(EntropyIssue.NoTemplateMatches);
        if (a == 0) return EntropyValue.Invalid(EntropyIssue.NoMatches);
        return EntropyValue.Of(-Math.Log((double)a / b));
    }

    /// <summary>
    /// A = number of matching (m+1)-template pairs, B = number of matching m-template pairs, both over pairs
    /// (i, j), i &lt; j ≤ N − m − 1. x must be finite. <paramref name="scratch"/> needs
    /// <see cref="ScratchLength"/>(x.Length, m) values.
    /// </summary>
    public static (long A, long B) CountMatches(ReadOnlySpan<double> x, int m, double r, Span<double> scratch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, MaxOrder);
        if (x.Length < MinimumLength(m) || !(r > 0)) return (0, 0);
        int needed = ScratchLength(x.Length, m);
        if (scratch.Length < needed)
            throw new ArgumentException($"sample entropy of {x.Length} samples needs {needed} scratch values, got {scratch.Length}", nameof(scratch));
        return TemplateMatchCounter.Count(x, m, r, scratch[..needed]);
    }

    /// <summary>As above, allocating its scratch.</summary>
    public static (long A, long B) CountMatches(ReadOnlySpan<double> x, int m, double r) =>
        CountMatches(x, m, r, new double[ScratchLength(x.Length, m)]);
}
