using System.Numerics;

namespace EphysPipeline.Core.Fft;

/// <summary>
/// An FFT backend (FFTW in production, a managed one in tests). Transforms are created once per size and
/// used from one thread each; create one per worker. Transforms are unnormalised, like FFTW's and numpy's
/// forward: Inverse(Forward(x)) = n·x.
/// </summary>
public interface IFftProvider
{
    /// <summary>Backend name for provenance, e.g. "fftw-3.3.10".</summary>
    string Name { get; }

    /// <summary>Real-to-complex transform of length <paramref name="n"/> in double precision.</summary>
    IRealFft CreateReal(int n);

    /// <summary>Real-to-complex transform of length <paramref name="n"/> in single precision.</summary>
    IRealFftSingle CreateRealSingle(int n);

    /// <summary>Complex-to-complex transform of length <paramref name="n"/> in double precision.</summary>
    IComplexFft CreateComplex(int n);
}

/// <summary>Real FFT of a fixed length n; the spectrum has n/2 + 1 bins.</summary>
public interface IRealFft : IDisposable
{
    int Length { get; }

    /// <summary>X[k] = Σ x[t]·e^(−2πikt/n), k = 0..n/2.</summary>
    void Forward(ReadOnlySpan<double> input, Span<Complex> output);

    /// <summary>x[t] = Σ X[k]·e^(+2πikt/n) over the Hermitian-extended spectrum (not divided by n).</summary>
    void Inverse(ReadOnlySpan<Complex> input, Span<double> output);

    /// <summary>The transform's own n samples: what <see cref="ForwardBuffers"/> reads and <see cref="InverseBuffers"/> writes.</summary>
    Span<double> RealBuffer { get; }

    /// <summary>The transform's own n/2 + 1 bins: what <see cref="ForwardBuffers"/> writes and <see cref="InverseBuffers"/> reads.</summary>
    Span<Complex> SpectrumBuffer { get; }

    /// <summary>
    /// <see cref="Forward"/> from <see cref="RealBuffer"/> (kept) into <see cref="SpectrumBuffer"/>, without the two
    /// copies; the same bits as <see cref="Forward"/>.
    /// </summary>
    void ForwardBuffers();

    /// <summary>
    /// <see cref="Inverse"/> from <see cref="SpectrumBuffer"/> (left undefined) into <see cref="RealBuffer"/>, without
    /// the two copies; the same bits as <see cref="Inverse"/>.
    /// </summary>
    void InverseBuffers();
}

/// <summary>Single-precision real FFT; spectra are interleaved (re, im) pairs, 2·(n/2 + 1) floats.</summary>
public interface IRealFftSingle : IDisposable
{
    int Length { get; }

    void Forward(ReadOnlySpan<float> input, Span<float> interleavedOutput);

    void Inverse(ReadOnlySpan<float> interleavedInput, Span<float> output);
}

/// <summary>Complex FFT of a fixed length n.</summary>
public interface IComplexFft : IDisposable
{
    int Length { get; }

    /// <summary>X[k] = Σ x[t]·e^(−2πikt/n).</summary>
    void Forward(ReadOnlySpan<Complex> input, Span<Complex> output);

    /// <summary>x[t] = Σ X[k]·e^(+2πikt/n) (not divided by n).</summary>
    void Inverse(ReadOnlySpan<Complex> input, Span<Complex> output);
}
