using System.Numerics;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Backends.Managed;

/// <summary>
/// Managed <see cref="IFftProvider"/> for machines without FFTW: power-of-two transforms from FftSharp, any other
/// length by Bluestein's chirp-z over a power-of-two FFTSharp transform, and real transforms of even length packed
/// into a complex transform of half the length. Unnormalised like FFTW. The read-only tables (chirps, twiddles)
/// are shared per length; each transform object owns its scratch, so transforms on different threads share no
/// mutable state and give the same bits on any thread.
/// </summary>
public sealed class FftSharpProvider : IFftProvider
{
    private readonly object _lock = new();
    private readonly Dictionary<int, ComplexPlan> _complexPlans = new();
    private readonly Dictionary<int, Complex[]> _realTwiddles = new();

    public static FftSharpProvider Shared { get; } = new();

    public string Name => $"fftsharp-{typeof(FftSharp.FFT).Assembly.GetName().Version?.ToString(3)} (managed, Bluestein for non-power-of-two)";

    public IRealFft CreateReal(int n) => new ManagedRealFft(this, n);

    public IRealFftSingle CreateRealSingle(int n) => new ManagedRealFftSingle(this, n);

    public IComplexFft CreateComplex(int n) => new ManagedComplexFft(Plan(n));

    internal ComplexPlan Plan(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        lock (_lock)
        {
            if (!_complexPlans.TryGetValue(n, out var plan)) _complexPlans.Add(n, plan = new ComplexPlan(n));
            return plan;
        }
    }

    /// <summary>e^(−2πik/n) for k = 0..n/2, for the even/odd split of a real transform of even length n.</summary>
    internal Complex[] RealTwiddles(int n)
    {
        lock (_lock)
        {
            if (!_realTwiddles.TryGetValue(n, out var w)) _realTwiddles.Add(n, w = Twiddles(n, n / 2 + 1, -1));
            return w;
        }
    }

    /// <summary>e^(sign·2πik/n), k = 0..count−1, from the exact angle of k mod n (no accumulated rotation).</summary>
    internal static Complex[] Twiddles(int n, int count, int sign)
    {
        var w = new Complex[count];
        for (int k = 0; k < count; k++)
        {
            double angle = sign * 2 * Math.PI * (k % n) / n;
            w[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }
        return w;
    }

    internal static bool IsPowerOfTwo(int n) => (n & (n - 1)) == 0;
}

/// <summary>
/// The shared, read-only part of a complex transform of length n: for Bluestein, the chirp w[k] = e^(−iπk²/n)
/// and the spectrum of its conjugate wrapped into the power-of-two length m ≥ 2n − 1.
/// </summary>
internal sealed class ComplexPlan
{
    internal ComplexPlan(int n)
    {
        Length = n;
        if (FftSharpProvider.IsPowerOfTwo(n)) return;
        int m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * n - 1));
        PaddedLength = m;
        Chirp = new Complex[n];
        long twoN = 2L * n;
        for (long k = 0; k < n; k++)
        {
            // k² mod 2n in integers keeps the angle exact for long transforms.
            double angle = -Math.PI * (k * k % twoN) / n;
            Chirp[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }
        var kernel = new Complex[m];
        kernel[0] = Complex.Conjugate(Chirp[0]);
        for (int k = 1; k < n; k++) kernel[k] = kernel[m - k] = Complex.Conjugate(Chirp[k]);
        FftSharp.FFT.Forward(kernel.AsSpan());
        // The 1/m of the inverse transform is folded into the kernel once.
        for (int k = 0; k < m; k++) kernel[k] /= m;
        KernelSpectrum = kernel;
    }

    internal int Length { get; }

    internal bool IsPowerOfTwo => Chirp is null;

    /// <summary>Bluestein's power-of-two length m (0 for power-of-two n).</summary>
    internal int PaddedLength { get; }

    internal Complex[]? Chirp { get; }

    internal Complex[]? KernelSpectrum { get; }

    /// <summary>Scratch a transform needs: m points for Bluestein, n otherwise.</summary>
    internal int ScratchLength => IsPowerOfTwo ? Length : PaddedLength;

    /// <summary>Forward DFT of <paramref name="data"/> (length n) in place; <paramref name="scratch"/> has ScratchLength points.</summary>
    internal void Forward(Span<Complex> data, Span<Complex> scratch)
    {
        if (IsPowerOfTwo)
        {
            if (Length > 1) FftSharp.FFT.Forward(data);
            return;
        }
        int n = Length;
        var chirp = Chirp!;
        var kernel = KernelSpectrum!;
        for (int k = 0; k < n; k++) scratch[k] = data[k] * chirp[k];
        scratch[n..].Clear();
        FftSharp.FFT.Forward(scratch);
        // Pointwise product, then the inverse power-of-two transform as conj(FFT(conj(·))).
        for (int k = 0; k < scratch.Length; k++) scratch[k] = Complex.Conjugate(scratch[k] * kernel[k]);
        FftSharp.FFT.Forward(scratch);
        for (int k = 0; k < n; k++) data[k] = Complex.Conjugate(scratch[k]) * chirp[k];
    }

    /// <summary>Unnormalised inverse DFT in place: conj(DFT(conj(x))).</summary>
    internal void Inverse(Span<Complex> data, Span<Complex> scratch)
    {
        Conjugate(data);
        Forward(data, scratch);
        Conjugate(data);
    }

    private static void Conjugate(Span<Complex> data)
    {
        for (int i = 0; i < data.Length; i++) data[i] = Complex.Conjugate(data[i]);
    }
}

internal sealed class ManagedComplexFft : IComplexFft
{
    private readonly ComplexPlan _plan;
    private readonly Complex[] _scratch;

    internal ManagedComplexFft(ComplexPlan plan)
    {
        _plan = plan;
        _scratch = new Complex[plan.ScratchLength];
    }

    public int Length => _plan.Length;

    public void Forward(ReadOnlySpan<Complex> input, Span<Complex> output)
    {
        Check(input.Length, output.Length);
        var data = output[..Length];
        input[..Length].CopyTo(data);
        _plan.Forward(data, _scratch);
    }

    public void Inverse(ReadOnlySpan<Complex> input, Span<Complex> output)
    {
        Check(input.Length, output.Length);
        var data = output[..Length];
        input[..Length].CopyTo(data);
        _plan.Inverse(data, _scratch);
    }

    private void Check(int inLength, int outLength)
    {
        if (inLength < Length || outLength < Length)
            throw new ArgumentException($"FFT of length {Length} needs {Length} points in and out, got {inLength} and {outLength}");
    }

    public void Dispose() { }
}

/// <summary>
/// Real transform of length n. Even n: the samples packed as z[t] = x[2t] + i·x[2t+1] into one complex transform of
/// n/2, then split into the even and odd halves' spectra. Odd n: a complex transform of length n.
/// </summary>
internal sealed class ManagedRealFft : IRealFft
{
    private readonly ComplexPlan _plan;
    private readonly Complex[]? _twiddles;
    private readonly Complex[] _work;
    private readonly Complex[] _scratch;
    private double[]? _real;
    private Complex[]? _spectrum;

    internal ManagedRealFft(FftSharpProvider provider, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        Length = n;
        bool packed = n % 2 == 0;
        _plan = provider.Plan(packed ? n / 2 : n);
        _twiddles = packed ? provider.RealTwiddles(n) : null;
        _work = new Complex[_plan.Length];
        _scratch = new Complex[_plan.ScratchLength];
    }

    public int Length { get; }

    private int Bins => Length / 2 + 1;

    public Span<double> RealBuffer => _real ??= new double[Length];

    public Span<Complex> SpectrumBuffer => _spectrum ??= new Complex[Bins];

    public void ForwardBuffers() => Forward(RealBuffer, SpectrumBuffer);

    public void InverseBuffers() => Inverse(SpectrumBuffer, RealBuffer);

    public void Forward(ReadOnlySpan<double> input, Span<Complex> output)
    {
        Check(input.Length, output.Length);
        int n = Length;
        if (_twiddles is null)
        {
            for (int t = 0; t < n; t++) _work[t] = input[t];
            _plan.Forward(_work, _scratch);
            _work.AsSpan(0, Bins).CopyTo(output);
            return;
        }
        int h = n / 2;
        for (int t = 0; t < h; t++) _work[t] = new Complex(input[2 * t], input[2 * t + 1]);
        _plan.Forward(_work, _scratch);
        var w = _twiddles;
        for (int k = 0; k <= h; k++)
        {
            var zk = _work[k == h ? 0 : k];
            var zc = Complex.Conjugate(_work[k == 0 ? 0 : h - k]);
            var even = (zk + zc) * 0.5;
            var odd = (zk - zc) * new Complex(0, -0.5);
            output[k] = even + w[k] * odd;
        }
    }

    public void Inverse(ReadOnlySpan<Complex> input, Span<double> output)
    {
        Check(output.Length, input.Length);
        int n = Length;
        if (_twiddles is null)
        {
            // Hermitian extension; like FFTW's c2r the imaginary part of the DC bin is ignored.
            _work[0] = input[0].Real;
            for (int k = 1; k < Bins; k++)
            {
                _work[k] = input[k];
                _work[n - k] = Complex.Conjugate(input[k]);
            }
            _plan.Inverse(_work, _scratch);
            for (int t = 0; t < n; t++) output[t] = _work[t].Real;
            return;
        }
        int h = n / 2;
        var w = _twiddles;
        for (int k = 0; k < h; k++)
        {
            // DC and Nyquist are real in a Hermitian spectrum; FFTW's c2r ignores their imaginary parts too.
            var xk = k == 0 ? new Complex(input[0].Real, 0) : input[k];
            var xc = k == 0 ? new Complex(input[h].Real, 0) : Complex.Conjugate(input[h - k]);
            var even = xk + xc;
            var odd = (xk - xc) * Complex.Conjugate(w[k]);
            _work[k] = even + new Complex(-odd.Imaginary, odd.Real);
        }
        _plan.Inverse(_work, _scratch);
        for (int t = 0; t < h; t++)
        {
            output[2 * t] = _work[t].Real;
            output[2 * t + 1] = _work[t].Imaginary;
        }
    }

    private void Check(int realLength, int bins)
    {
        if (realLength < Length || bins < Bins)
            throw new ArgumentException($"FFT of length {Length} needs {Length} samples and {Bins} bins, got {realLength} and {bins}");
    }

    public void Dispose() { }
}

/// <summary>Single precision through the double transform: the managed path has no float kernel of its own.</summary>
internal sealed class ManagedRealFftSingle : IRealFftSingle
{
    private readonly ManagedRealFft _fft;
    private readonly double[] _real;
    private readonly Complex[] _spectrum;

    internal ManagedRealFftSingle(FftSharpProvider provider, int n)
    {
        _fft = new ManagedRealFft(provider, n);
        _real = new double[n];
        _spectrum = new Complex[n / 2 + 1];
    }

    public int Length => _fft.Length;

    private int Floats => 2 * _spectrum.Length;

    public void Forward(ReadOnlySpan<float> input, Span<float> interleavedOutput)
    {
        Check(input.Length, interleavedOutput.Length);
        for (int t = 0; t < Length; t++) _real[t] = input[t];
        _fft.Forward(_real, _spectrum);
        for (int k = 0; k < _spectrum.Length; k++)
        {
            interleavedOutput[2 * k] = (float)_spectrum[k].Real;
            interleavedOutput[2 * k + 1] = (float)_spectrum[k].Imaginary;
        }
    }

    public void Inverse(ReadOnlySpan<float> interleavedInput, Span<float> output)
    {
        Check(output.Length, interleavedInput.Length);
        for (int k = 0; k < _spectrum.Length; k++) _spectrum[k] = new Complex(interleavedInput[2 * k], interleavedInput[2 * k + 1]);
        _fft.Inverse(_spectrum, _real);
        for (int t = 0; t < Length; t++) output[t] = (float)_real[t];
    }

    private void Check(int realLength, int floats)
    {
        if (realLength < Length || floats < Floats)
            throw new ArgumentException($"FFT of length {Length} needs {Length} samples and {Floats} spectrum floats, got {realLength} and {floats}");
    }

    public void Dispose() { }
}
