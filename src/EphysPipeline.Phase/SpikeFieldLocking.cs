using System.Numerics;
using System.Runtime.InteropServices;

namespace EphysPipeline.Phase;

/// <summary>
/// Locking of one unit's spikes to a band's phase on one channel. Plv = |mean phasor|; Ppc0 (Vinck 2010) =
/// (|Σu|² − n)/(n(n−1)), unbiased by spike count; RayleighZ = n·Plv²; RayleighP from Zar's approximation as in
/// CircStat's circ_rtest: exp(√(1 + 4n + 4(n² − R²)) − (1 + 2n)), R = n·Plv; PreferredPhase = arg Σu (radians).
/// FiringRate = spikes / seconds of signal the spikes were looked for in. NaN fields carry <see cref="Reason"/>.
/// </summary>
public sealed record SpikeFieldResult(int Spikes, double FiringRate, double Plv, double Ppc0, double RayleighZ,
    double RayleighP, double PreferredPhase, string? Reason);

/// <summary>
/// Streaming spike–field accumulator: feed it the analytic signal of the channel block by block (only the samples
/// that count: non-rejected, away from filter edges) with the unit's spike sample indices in the same
/// coordinates. A spike counts when its sample lies in an appended block, so spikes in rejected stretches or edge
/// zones are excluded together with their time.
/// </summary>
public sealed class SpikeFieldAccumulator
{
    private double _sumCos;
    private double _sumSin;
    private long _samples;

    public SpikeFieldAccumulator(double sampleRate)
    {
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive and finite");
        SampleRate = sampleRate;
    }

    public double SampleRate { get; }

    public int Spikes { get; private set; }

    /// <summary>The sample at or before a spike time: floor((t − t0)·fs).</summary>
    public static long SampleOf(double spikeTime, double startTime, double sampleRate) =>
        (long)Math.Floor((spikeTime - startTime) * sampleRate);

    /// <summary>
    /// Adds the block's time and the phases at the spikes of <paramref name="sortedSpikeSamples"/> that fall in
    /// [firstSample, firstSample + analytic.Length).
    /// </summary>
    public void Append(ReadOnlySpan<Complex> analytic, long firstSample, ReadOnlySpan<long> sortedSpikeSamples)
    {
        var ri = MemoryMarshal.Cast<Complex, double>(analytic);
        Append(ri, ri[Math.Min(1, ri.Length)..], 2, analytic.Length, firstSample, sortedSpikeSamples);
    }

    /// <summary>The same for an analytic signal given as real and imaginary parts (one row of an <see cref="AnalyticBlock"/>).</summary>
    public void Append(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, long firstSample, ReadOnlySpan<long> sortedSpikeSamples)
    {
        if (real.Length != imaginary.Length) throw new ArgumentException($"{real.Length} real parts, {imaginary.Length} imaginary parts");
        Append(real, imaginary, 1, real.Length, firstSample, sortedSpikeSamples);
    }

    // Sample t is (re[t · step], im[t · step]).
    private void Append(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int step, int length, long firstSample, ReadOnlySpan<long> sortedSpikeSamples)
    {
        _samples += length;
        int i = LowerBound(sortedSpikeSamples, firstSample);
        long end = firstSample + length;
        for (; i < sortedSpikeSamples.Length && sortedSpikeSamples[i] < end; i++)
        {
            int at = (int)(sortedSpikeSamples[i] - firstSample) * step;
            double x = re[at], y = im[at];
            double magnitude = Math.Sqrt(x * x + y * y);
            // No amplitude, no phase: such a spike cannot vote.
            if (!(magnitude > 0)) continue;
            AddPhasor(x / magnitude, y / magnitude);
        }
    }

    /// <summary>Adds one spike by its phase (radians), for callers that already have phases.</summary>
    public void AddPhase(double phase) => AddPhasor(Math.Cos(phase), Math.Sin(phase));

    /// <summary>Adds signal time without spikes (e.g. a block in which the unit was silent).</summary>
    public void AddSamples(long samples) => _samples += samples;

    private void AddPhasor(double cos, double sin)
    {
        _sumCos += cos;
        _sumSin += sin;
        Spikes++;
    }

    public SpikeFieldResult Result()
    {
        double seconds = _samples / SampleRate;
        double rate = _samples > 0 ? Spikes / seconds : double.NaN;
        int n = Spikes;
        if (n == 0)
        {
            string why = _samples > 0 ? "no spikes in the analysed time" : "no signal analysed";
            return new SpikeFieldResult(0, rate, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, why);
        }
        double resultant = Math.Sqrt(_sumCos * _sumCos + _sumSin * _sumSin);
        double plv = resultant / n;
        double ppc = n > 1 ? (resultant * resultant - n) / ((double)n * (n - 1)) : double.NaN;
        double z = n * plv * plv;
        double nn = n;
        double p = Math.Exp(Math.Sqrt(1 + 4 * nn + 4 * (nn * nn - resultant * resultant)) - (1 + 2 * nn));
        return new SpikeFieldResult(n, rate, plv, ppc, z, p, Math.Atan2(_sumSin, _sumCos),
            n > 1 ? null : "one spike: PPC undefined");
    }

    private static int LowerBound(ReadOnlySpan<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
