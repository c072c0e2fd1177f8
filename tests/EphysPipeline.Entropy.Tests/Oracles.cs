namespace EphysPipeline.Entropy.Tests;

/// <summary>Direct, slow implementations of the definitions, to check the fast kernels against.</summary>
internal static class Oracles
{
    /// <summary>Sample entropy pair counts by brute force over pairs i &lt; j ≤ N − m − 1.</summary>
    public static (long A, long B) SampleEntropyCounts(double[] x, int m, double r)
    {
        int n = x.Length;
        long a = 0, b = 0;
        for (int i = 0; i < n - m; i++)
            for (int j = i + 1; j < n - m; j++)
            {
                bool matchM = true;
                for (int l = 0; l < m && matchM; l++) matchM = Math.Abs(x[i + l] - x[j + l]) < r;
                if (!matchM) continue;
                b++;
                if (Math.Abs(x[i + m] - x[j + m]) < r) a++;
            }
        return (a, b);
    }

    /// <summary>
    /// antropy 0.1.9 <c>_numba_sampen</c> transcribed line by line (running mismatch counts along each offset),
    /// returning its (numerator, denominator) = (A, B) instead of −log(A/B).
    /// </summary>
    public static (long A, long B) AntropySampenCounts(double[] sequence, int order, double r)
    {
        int size = sequence.Length;
        long numerator = 0, denominator = 0;
        for (int offset = 1; offset < size - order; offset++)
        {
            int nNumerator = Math.Abs(sequence[order] - sequence[order + offset]) >= r ? 1 : 0;
            int nDenominator = 0;
            for (int idx = 0; idx < order; idx++)
            {
                nNumerator += Math.Abs(sequence[idx] - sequence[idx + offset]) >= r ? 1 : 0;
                nDenominator += Math.Abs(sequence[idx] - sequence[idx + offset]) >= r ? 1 : 0;
            }
            if (nNumerator == 0) numerator++;
            if (nDenominator == 0) denominator++;
            int prevInDiff = Math.Abs(sequence[order] - sequence[offset + order]) >= r ? 1 : 0;
            for (int idx = 1; idx < size - offset - order; idx++)
            {
                int outDiff = Math.Abs(sequence[idx - 1] - sequence[idx + offset - 1]) >= r ? 1 : 0;
                int inDiff = Math.Abs(sequence[idx + order] - sequence[idx + offset + order]) >= r ? 1 : 0;
                nNumerator += inDiff - outDiff;
                nDenominator += prevInDiff - outDiff;
                prevInDiff = inDiff;
                if (nNumerator == 0) numerator++;
                if (nDenominator == 0) denominator++;
            }
        }
        return (numerator, denominator);
    }

    /// <summary>LZ76 by the definition: each phrase is the longest prefix of the rest seen starting earlier, plus one symbol.</summary>
    public static int LempelZiv(bool[] s)
    {
        int n = s.Length;
        if (n <= 1) return n;
        int c = 1, p = 1;
        while (p < n)
        {
            int best = 0;
            for (int q = 0; q < p; q++)
            {
                int l = 0;
                while (p + l < n && s[q + l] == s[p + l]) l++;
                best = Math.Max(best, l);
            }
            if (p + best >= n) return c + 1;
            c++;
            p += best + 1;
        }
        return c;
    }

    /// <summary>Permutation entropy with patterns as stable argsort rank tuples, counted in a dictionary.</summary>
    public static double PermutationEntropy(double[] x, int order, int delay)
    {
        var counts = new Dictionary<string, int>();
        int patterns = x.Length - (order - 1) * delay;
        for (int t = 0; t < patterns; t++)
        {
            var key = string.Join(",", Enumerable.Range(0, order).OrderBy(i => x[t + i * delay]).ThenBy(i => i));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        double h = 0;
        foreach (var c in counts.Values)
        {
            double p = (double)c / patterns;
            h -= p * Math.Log2(p);
        }
        double factorial = Enumerable.Range(1, order).Aggregate(1.0, (f, k) => f * k);
        return h / Math.Log2(factorial);
    }
}
