using System.Numerics;
using EphysPipeline.Core.Fft;
using MathNet.Numerics.IntegralTransforms;

namespace EphysPipeline.TestSupport;

/// <summary>Managed reference FFT (MathNet, no scaling) that tests use to cross-check the FFTW provider.</summary>
public sealed class ManagedFftProvider : IFftProvider
{
    public static ManagedFftProvider Instance { get; } = new();

    public string Name => "mathnet-managed";

    public IRealFft CreateReal(int n) => new Real(n);

    public IRealFftSingle CreateRealSingle(int n) => new RealSingle(n);

    public IComplexFft CreateComplex(int n) => new ComplexFft(n);

    private static Complex[] Transform(ReadOnlySpan<Complex> input, int n, bool forward)
    {
        var buffer = input[..n].ToArray();
        if (forward) Fourier.Forward(buffer, FourierOptions.NoScaling);
        else Fourier.Inverse(buffer, FourierOptions.NoScaling);
        return buffer;
    }

    private sealed class Real(int n) : IRealFft
    {
        private readonly double[] _real = new double[n];
        private readonly Complex[] _spectrum = new Complex[n / 2 + 1];

        public int Length => n;

        public Span<double> RealBuffer => _real;

        public Span<Complex> SpectrumBuffer => _spectrum;

        public void ForwardBuffers() => Forward(_real, _spectrum);

        public void InverseBuffers() => Inverse(_spectrum, _real);

        public void Forward(ReadOnlySpan<double> input, Span<Complex> output)
        {
            var x = new Complex[n];
            for (int i = 0; i < n; i++) x[i] = input[i];
            Transform(x, n, true).AsSpan(0, n / 2 + 1).CopyTo(output);
        }

        public void Inverse(ReadOnlySpan<Complex> input, Span<double> output)
        {
            var full = new Complex[n];
            for (int k = 0; k <= n / 2; k++) full[k] = input[k];
            for (int k = n / 2 + 1; k < n; k++) full[k] = Complex.Conjugate(input[n - k]);
            var x = Transform(full, n, false);
            for (int i = 0; i < n; i++) output[i] = x[i].Real;
        }

        public void Dispose() { }
    }

    private sealed class RealSingle(int n) : IRealFftSingle
    {
        private readonly Real _real = new(n);

        public int Length => n;

        public void Forward(ReadOnlySpan<float> input, Span<float> interleavedOutput)
        {
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = input[i];
            var spectrum = new Complex[n / 2 + 1];
            _real.Forward(x, spectrum);
            for (int k = 0; k < spectrum.Length; k++)
            {
                interleavedOutput[2 * k] = (float)spectrum[k].Real;
                interleavedOutput[2 * k + 1] = (float)spectrum[k].Imaginary;
            }
        }

        public void Inverse(ReadOnlySpan<float> interleavedInput, Span<float> output)
        {
            var spectrum = new Complex[n / 2 + 1];
            for (int k = 0; k < spectrum.Length; k++) spectrum[k] = new Complex(interleavedInput[2 * k], interleavedInput[2 * k + 1]);
            var x = new double[n];
            _real.Inverse(spectrum, x);
            for (int i = 0; i < n; i++) output[i] = (float)x[i];
        }

        public void Dispose() { }
    }

    private sealed class ComplexFft(int n) : IComplexFft
    {
        public int Length => n;

        public void Forward(ReadOnlySpan<Complex> input, Span<Complex> output) => Transform(input, n, true).CopyTo(output);

        public void Inverse(ReadOnlySpan<Complex> input, Span<Complex> output) => Transform(input, n, false).CopyTo(output);

        public void Dispose() { }
    }
}
