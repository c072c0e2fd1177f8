using System.Numerics;

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
        for (int t = 0; t < phaseBand.Length; t++)
        {
            var a = amplitudeBand[t];
            Add(Math.Atan2(phaseBand[t].Imaginary, phaseBand[t].Real), Math.Sqrt(a.Real * a.Real + a.Imaginary * a.Imaginary));
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

    /// <summary>Adds samples given as bins from <see cref="BinIndices"/> (same bin count) and amplitudes.</summary>
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
