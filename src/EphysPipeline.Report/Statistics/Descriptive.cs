namespace EphysPipeline.Report.Statistics;

/// <summary>Mean, sample variance (ddof = 1), SEM and Hedges' g.</summary>
public static class Descriptive
{
    /// <summary>Two-pass mean and unbiased variance (NaN variance for fewer than two values).</summary>
    public static (double Mean, double Variance) MeanVariance(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return (double.NaN, double.NaN);
        double sum = 0;
        foreach (var v in x) sum += v;
        double mean = sum / x.Length;
        if (x.Length < 2) return (mean, double.NaN);
        double ss = 0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        return (mean, ss / (x.Length - 1));
    }

    public static double Mean(ReadOnlySpan<double> x) => MeanVariance(x).Mean;

    public static double Sem(ReadOnlySpan<double> x) => Math.Sqrt(MeanVariance(x).Variance / x.Length);

    /// <summary>Hedges' small-sample factor J = 1 − 3/(4·df − 1) (Hedges 1981's approximation of the exact Γ ratio).</summary>
    public static double HedgesCorrection(double df) => df > 0 ? 1.0 - 3.0 / (4.0 * df - 1.0) : double.NaN;

    /// <summary>One-sample Hedges' g: J(n−1)·mean/sd.</summary>
    public static double HedgesGOneSample(ReadOnlySpan<double> x)
    {
        var (mean, variance) = MeanVariance(x);
        if (x.Length < 2 || variance == 0) return double.NaN;
        return HedgesCorrection(x.Length - 1) * mean / Math.Sqrt(variance);
    }

    /// <summary>Two-sample Hedges' g: J(n1+n2−2)·(mean1 − mean2)/pooled sd.</summary>
    public static double HedgesGTwoSample(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n1 = x.Length, n2 = y.Length;
        if (n1 < 2 || n2 < 2) return double.NaN;
        var (m1, v1) = MeanVariance(x);
        var (m2, v2) = MeanVariance(y);
        double pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2);
        if (pooled == 0) return double.NaN;
        return HedgesCorrection(n1 + n2 - 2) * (m1 - m2) / Math.Sqrt(pooled);
    }

    /// <summary>
    /// Paired Hedges' g_av (Lakens 2013): J(n−1)·mean(x − y) / ((sd_x + sd_y)/2), x and y the paired values in order.
    /// </summary>
    public static double HedgesGAv(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        if (n < 2 || y.Length != n) return double.NaN;
        double diff = 0;
        for (int i = 0; i < n; i++) diff += x[i] - y[i];
        double sdAv = 0.5 * (Math.Sqrt(MeanVariance(x).Variance) + Math.Sqrt(MeanVariance(y).Variance));
        if (sdAv == 0) return double.NaN;
        return HedgesCorrection(n - 1) * (diff / n) / sdAv;
    }

    /// <summary>Percentile with linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7).</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * percent / 100.0;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
