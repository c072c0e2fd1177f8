using System.Numerics;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Phase.Tests;

/// <summary>The fixture signal band-passed like MNE, and analytic signals computed through the engine.</summary>
internal static class PhaseTestData
{
    /// <summary>
    /// MNE's zero-phase FIR (filter_data, pad 'reflect_limited'): extend each end by taps − 1 samples of odd
    /// reflection about the end sample, convolve, keep the centred part. A test stand-in until the
    /// preprocessing engine's filter is used end to end.
    /// </summary>
    internal static double[] ZeroPhaseFilter(double[] x, double[] taps)
    {
        int edge = taps.Length - 1;
        int n = x.Length;
        var extended = new double[n + 2 * edge];
        for (int i = 0; i < edge; i++)
        {
            extended[i] = 2 * x[0] - x[edge - i];
            extended[n + edge + i] = 2 * x[n - 1] - x[n - 2 - i];
        }
        x.CopyTo(extended, edge);
        int half = (taps.Length - 1) / 2;
        var y = new double[n];
        for (int t = 0; t < n; t++)
        {
            // 'same' convolution of the extended signal, centred: output t uses extended[t + edge − half ...].
            double sum = 0;
            int centre = t + edge;
            for (int k = 0; k < taps.Length; k++) sum += taps[k] * extended[centre + half - k];
            y[t] = sum;
        }
        return y;
    }

    private static readonly Dictionary<string, double[][]> FilteredCache = [];

    /// <summary>pair filtered in a fir_hilbert band ("theta", "low_gamma"), [channel][sample].</summary>
    internal static double[][] Filtered(string band)
    {
        lock (FilteredCache)
        {
            if (!FilteredCache.TryGetValue(band, out var value))
            {
                var taps = Fixtures.Expect($"fir_hilbert.{band}.taps").Doubles();
                value = Fixtures.Signal("pair").Select(ch => ZeroPhaseFilter(ch, taps)).ToArray();
                FilteredCache[band] = value;
            }
            return value;
        }
    }

    internal static double[] ChannelMajor(double[][] rows) => rows.SelectMany(r => r).ToArray();

    /// <summary>Runs a stream over whole rows in blocks of <paramref name="block"/>, collecting its output.</summary>
    internal static (Complex[] Values, int Count, long First) Stream(double[][] rows, int trim, int block, int windowLength, int margin)
    {
        int channels = rows.Length;
        var chunks = new List<(Complex[] Data, int Count, long First)>();
        using var stream = new AnalyticSignalStream(channels, trim, TestBackends.Fft,
            (block, first, _) => chunks.Add((block.ToComplex(), block.Count, first)), windowLength, margin);
        int n = rows[0].Length;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            var buffer = new double[channels * count];
            for (int c = 0; c < channels; c++) rows[c].AsSpan(start, count).CopyTo(buffer.AsSpan(c * count));
            stream.Append(buffer, count);
        }
        stream.CompleteRun();
        int total = chunks.Sum(c => c.Count);
        var result = new Complex[channels * total];
        int offset = 0;
        long expectedFirst = chunks.Count > 0 ? chunks[0].First : 0;
        foreach (var (data, count, first) in chunks)
        {
            if (first != expectedFirst + offset) throw new InvalidOperationException($"chunk starts at {first}, expected {expectedFirst + offset}");
            for (int c = 0; c < channels; c++) data.AsSpan(c * count, count).CopyTo(result.AsSpan(c * total + offset));
            offset += count;
        }
        return (result, total, expectedFirst);
    }

    internal static Complex[] Row(Complex[] channelMajor, int count, int channel) => channelMajor.AsSpan(channel * count, count).ToArray();
}
