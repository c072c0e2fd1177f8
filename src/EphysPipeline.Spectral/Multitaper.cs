using System.Numerics;
using EphysPipeline.Core.Fft;
using EphysPipeline.Spectral.Kernels;

namespace EphysPipeline.Spectral;

/// <summary>
/// Multitaper settings as mne.time_frequency.psd_array_multitaper: <see cref="Bandwidth"/> is the full bandwidth in Hz
/// (null: NW = 4), so NW = bandwidth·n/(2·fs) and Kmax = ⌊2·NW⌋; <see cref="LowBias"/> keeps tapers with λ &gt; 0.9.
/// The output is always normalization='full' (V²/Hz).
/// </summary>
public sealed record MultitaperOptions(double? Bandwidth = null, bool Adaptive = false, bool LowBias = true, int MaxIterations = 150)
{
    /// <summary>Guard against windows so long that the tapers would not fit in memory (Kmax · n doubles).</summary>
    public long MaxTaperSamples { get; init; } = 64L << 20;
}

/// <summary>A multitaper PSD plus the tapers' concentration ratios (eigenvalues) and the NW used.</summary>
public sealed record MultitaperSpectrum(PowerSpectrum Spectrum, double HalfBandwidth, double[] Eigenvalues, bool Adaptive);

/// <summary>
/// Multitaper PSD of windows of one fixed length. Build once per (length, fs, options) — the DPSS computation is the
/// expensive part — and call <see cref="Compute"/> per channel; one instance per thread.
/// </summary>
public sealed class MultitaperEstimator : IDisposable
{
    private readonly IRealFft? _fft;
    private readonly double[][] _tapers = [];
    private readonly double[] _eigenvalues = [];
    private readonly double[] _rootEigenvalues = [];
    private readonly double[] _frequencies;
    private readonly string? _setupProblem;
    private readonly double[] _centred;
    private readonly Complex[][] _spectra = [];

    public MultitaperEstimator(int length, double sampleRate, IFftProvider fft, MultitaperOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        Options = options ?? new MultitaperOptions();
        Length = length;
        SampleRate = sampleRate;
        HalfBandwidth = Options.Bandwidth is { } bw ? bw * length / (2.0 * sampleRate) : 4.0;
        _frequencies = PowerSpectrum.BinFrequencies(length / 2 + 1, sampleRate / length);
        _centred = new double[length];
        int kmax = (int)(2 * HalfBandwidth);
        if (HalfBandwidth < 0.5)
            _setupProblem = $"bandwidth gives NW = {HalfBandwidth:G4} < 0.5; use at least {sampleRate / length:G4} Hz";
        else if (HalfBandwidth >= (length + 1) / 2.0 || kmax > length + 1)
            _setupProblem = $"window of {length} samples too short for NW = {HalfBandwidth:G4}";
        else if ((long)kmax * length > Options.MaxTaperSamples)
            _setupProblem = $"{kmax} tapers × {length} samples exceed the taper memory limit; use shorter windows or a smaller bandwidth";
        if (_setupProblem is not null) return;

        var dpss = Dpss.Compute(length, HalfBandwidth, kmax, periodic: true, fft);
        var keep = Enumerable.Range(0, dpss.Count).Where(k => !Options.LowBias || dpss.Ratios[k] > 0.9).ToArray();
        if (keep.Length == 0) keep = [Array.IndexOf(dpss.Ratios, dpss.Ratios.Max())];
        _tapers = keep.Select(k => dpss.Tapers[k]).ToArray();
        _eigenvalues = keep.Select(k => dpss.Ratios[k]).ToArray();
        _rootEigenvalues = _eigenvalues.Select(Math.Sqrt).ToArray();
        _fft = fft.CreateReal(length);
        // MNE falls back to fixed weights below three tapers.
        Adaptive = Options.Adaptive && _tapers.Length >= 3;
        if (Adaptive) _spectra = _tapers.Select(_ => new Complex[length / 2 + 1]).ToArray();
    }

    // Another thread's estimator: the same tapers (read-only, shared), its own transform and buffers.
    private MultitaperEstimator(MultitaperEstimator from, IFftProvider fft)
    {
        Options = from.Options;
        Length = from.Length;
        SampleRate = from.SampleRate;
        HalfBandwidth = from.HalfBandwidth;
        Adaptive = from.Adaptive;
        _tapers = from._tapers;
        _eigenvalues = from._eigenvalues;
        _rootEigenvalues = from._rootEigenvalues;
        _frequencies = from._frequencies;
        _setupProblem = from._setupProblem;
        _centred = new double[Length];
        if (_setupProblem is not null) return;
        _fft = fft.CreateReal(Length);
        if (Adaptive) _spectra = _tapers.Select(_ => new Complex[Length / 2 + 1]).ToArray();
    }

    /// <summary>
    /// An estimator for another thread, sharing this one's tapers: the DPSS computation (the expensive part) is done
    /// once for all threads, and every thread's results are the same bits.
    /// </summary>
    public MultitaperEstimator ForAnotherThread(IFftProvider fft) => new(this, fft);

    public MultitaperOptions Options { get; }
    public int Length { get; }
    public double SampleRate { get; }
    public double HalfBandwidth { get; }
    public bool Adaptive { get; }
    public int TaperCount => _tapers.Length;
    public IReadOnlyList<double> Eigenvalues => _eigenvalues;

    /// <summary>The frequency of each PSD bin (Length / 2 + 1 of them).</summary>
    public ReadOnlySpan<double> Frequencies => _frequencies;

    public MultitaperSpectrum Compute(ReadOnlySpan<double> signal)
    {
        var psd = new double[_frequencies.Length];
        string? problem = ComputeInto(signal, psd);
        if (problem is not null) return Invalid(problem);
        var spectrum = new PowerSpectrum(SampleRate, (double[])_frequencies.Clone(), psd, 1, null);
        return new MultitaperSpectrum(spectrum, HalfBandwidth, (double[])_eigenvalues.Clone(), Adaptive);
    }

    /// <summary>
    /// The PSD of one window written into <paramref name="psd"/> (one value per <see cref="Frequencies"/> bin): null,
    /// or why the window has no PSD (then <paramref name="psd"/> holds nothing meaningful). With fixed weights it
    /// allocates nothing, so a caller that sums windows keeps no garbage per window.
    /// </summary>
    public string? ComputeInto(ReadOnlySpan<double> signal, Span<double> psd)
    {
        if (signal.Length != Length) throw new ArgumentException($"estimator built for {Length} samples, got {signal.Length}", nameof(signal));
        if (psd.Length != _frequencies.Length) throw new ArgumentException($"PSD needs {_frequencies.Length} bins, got {psd.Length}", nameof(psd));
        if (_setupProblem is not null) return _setupProblem;
        double sum = System.Numerics.Tensors.TensorPrimitives.Sum(signal);
        if (!double.IsFinite(sum)) return "signal contains NaN or infinite samples";
        System.Numerics.Tensors.TensorPrimitives.Subtract(signal, sum / Length, _centred);

        int bins = _frequencies.Length;
        double rootHalf = Math.Sqrt(0.5);
        var fft = _fft!;
        var tapered = fft.RealBuffer;
        var taperSpectrum = fft.SpectrumBuffer;
        // Fixed weights: each taper's power is added as soon as it is transformed, in taper order (the sums of
        // Combine), so no taper's spectrum is kept; the adaptive weights need them all.
        for (int k = 0; k < _tapers.Length; k++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(_centred, _tapers[k], tapered);
            fft.ForwardBuffers();
            // One-sided: DC (and Nyquist for even n) carry no mirrored half, as MNE's _mt_spectra.
            taperSpectrum[0] *= rootHalf;
            if (Length % 2 == 0) taperSpectrum[bins - 1] *= rootHalf;
            if (Adaptive) taperSpectrum.CopyTo(_spectra[k]);
            // The first taper writes (0 + p is p), so the buffer needs no clearing.
            else if (k == 0) PowerAccumulate.WriteScaled(taperSpectrum, _rootEigenvalues[k] * _rootEigenvalues[k], psd);
            else PowerAccumulate.AddScaled(taperSpectrum, _rootEigenvalues[k] * _rootEigenvalues[k], psd);
        }
        if (Adaptive) AdaptiveCombine(psd, _rootEigenvalues);
        else Scale(psd, _rootEigenvalues);
        System.Numerics.Tensors.TensorPrimitives.Divide(psd, SampleRate, psd);
        return null;
    }

    // psd[f] = 2 · Σ_k |w_k X_k(f)|² / Σ_k w_k² (MNE _psd_from_mt), with weights shared across frequencies.
    private static void Combine(Complex[][] spectra, double[] weights, Span<double> psd)
    {
        psd.Clear();
        for (int k = 0; k < weights.Length; k++) PowerAccumulate.AddScaled(spectra[k], weights[k] * weights[k], psd);
        Scale(psd, weights);
    }

    // The 2 / Σ_k w_k² of Combine.
    private static void Scale(Span<double> psd, double[] weights)
    {
        double norm = 0;
        foreach (var w in weights) norm += w * w;
        for (int f = 0; f < psd.Length; f++) psd[f] *= 2 / norm;
    }

    // Thomson's adaptive weights, iterated as MNE's _psd_from_mt_adaptive (global convergence test across bins).
    private void AdaptiveCombine(Span<double> psd, double[] rootEigenvalues)
    {
        int bins = psd.Length, tapers = _tapers.Length;
        Combine(_spectra, rootEigenvalues, psd);
        double trapezoid = 0;
        for (int f = 1; f < bins; f++) trapezoid += 0.5 * (psd[f] + psd[f - 1]);
        double variance = trapezoid * (Math.PI / bins) / (2 * Math.PI);

        var power = new double[tapers][];
        for (int k = 0; k < tapers; k++)
        {
            power[k] = new double[bins];
            PowerAccumulate.Write(_spectra[k], power[k]);
        }
        var estimate = new double[bins];
        Combine(_spectra[..2], rootEigenvalues[..2], estimate);
        var weights = new double[tapers, bins];
        var previous = new double[tapers, bins];
        for (int iteration = 0; iteration < Options.MaxIterations; iteration++)
        {
            double worst = 0;
            for (int f = 0; f < bins; f++)
            {
                double meanSquare = 0;
                for (int k = 0; k < tapers; k++)
                {
                    double l = _eigenvalues[k];
                    double dk = estimate[f] / (l * estimate[f] + (1 - l) * variance) * rootEigenvalues[k];
                    weights[k, f] = dk;
                    double diff = previous[k, f] - dk;
                    meanSquare += diff * diff;
                }
                worst = Math.Max(worst, meanSquare / tapers);
            }
            if (worst < 1e-10) break;
            for (int f = 0; f < bins; f++)
            {
                double num = 0, den = 0;
                for (int k = 0; k < tapers; k++)
                {
                    double w2 = weights[k, f] * weights[k, f];
                    num += w2 * power[k][f];
                    den += w2;
                }
                estimate[f] = 2 * num / den;
            }
            (previous, weights) = (weights, previous);
        }
        estimate.CopyTo(psd);
    }

    private MultitaperSpectrum Invalid(string reason) =>
        new(PowerSpectrum.Invalid(SampleRate, (double[])_frequencies.Clone(), 0, reason), HalfBandwidth, (double[])_eigenvalues.Clone(), Adaptive);

    public void Dispose() => _fft?.Dispose();
}

/// <summary>One-shot multitaper PSD of a whole signal.</summary>
public static class Multitaper
{
    public static MultitaperSpectrum Compute(ReadOnlySpan<double> signal, double sampleRate, IFftProvider fft, MultitaperOptions? options = null)
    {
        using var estimator = new MultitaperEstimator(signal.Length, sampleRate, fft, options);
        return estimator.Compute(signal);
    }
}
