using System.Numerics;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Native.Fftw;

/// <summary>
/// FFTW3 behind <see cref="IFftProvider"/>. Plans are made once per (kind, size) under a lock with
/// FFTW_ESTIMATE — measured plans may pick different algorithms from run to run, and with them different
/// last bits, which would break byte-identical outputs. Each transform object owns aligned buffers and runs
/// the shared plan through FFTW's new-array execute, so transforms on different threads never share state.
/// </summary>
public sealed class FftwProvider : IFftProvider
{
    private static readonly Lazy<FftwProvider> SharedInstance = new(() => new FftwProvider());
    private readonly object _planLock = new();
    private readonly Dictionary<(PlanKind Kind, int N), FftwPlanHandle> _plans = new();

    private FftwProvider()
    {
        FftwLibrary.EnsureLoaded();
        Name = FftwLibrary.Version();
    }

    /// <summary>The process-wide provider. Throws <see cref="Core.NativeLibraryMissingException"/> if FFTW is missing.</summary>
    public static FftwProvider Shared => SharedInstance.Value;

    public string Name { get; }

    public IRealFft CreateReal(int n) => new FftwRealFft(this, n);

    public IRealFftSingle CreateRealSingle(int n) => new FftwRealFftSingle(this, n);

    public IComplexFft CreateComplex(int n) => new FftwComplexFft(this, n);

    internal enum PlanKind { R2C, C2R, C2CForward, C2CBackward, R2CSingle, C2RSingle }

    internal unsafe FftwPlanHandle Plan(PlanKind kind, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        lock (_planLock)
        {
            if (_plans.TryGetValue((kind, n), out var cached)) return cached;
            bool single = kind is PlanKind.R2CSingle or PlanKind.C2RSingle;
            int elementSize = single ? sizeof(float) : sizeof(double);
            // Planning arrays: same (fftw_malloc) alignment as the buffers the plan later runs on.
            using var a = new FftwBuffer((nuint)(2 * (n + 2) * elementSize), single);
            using var b = new FftwBuffer((nuint)(2 * (n + 2) * elementSize), single);
            IntPtr plan = kind switch
            {
                PlanKind.R2C => Fftw3.PlanDftR2C1d(n, (double*)a.Pointer, (double*)b.Pointer, Fftw3.Estimate),
                PlanKind.C2R => Fftw3.PlanDftC2R1d(n, (double*)a.Pointer, (double*)b.Pointer, Fftw3.Estimate),
                PlanKind.C2CForward => Fftw3.PlanDft1d(n, (double*)a.Pointer, (double*)b.Pointer, Fftw3.Forward, Fftw3.Estimate),
                PlanKind.C2CBackward => Fftw3.PlanDft1d(n, (double*)a.Pointer, (double*)b.Pointer, Fftw3.Backward, Fftw3.Estimate),
                PlanKind.R2CSingle => Fftw3f.PlanDftR2C1d(n, (float*)a.Pointer, (float*)b.Pointer, Fftw3.Estimate),
                PlanKind.C2RSingle => Fftw3f.PlanDftC2R1d(n, (float*)a.Pointer, (float*)b.Pointer, Fftw3.Estimate),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            if (plan == IntPtr.Zero) throw new InvalidOperationException($"FFTW could not plan a {kind} transform of length {n}");
            var handle = new FftwPlanHandle(plan, single);
            _plans.Add((kind, n), handle);
            return handle;
        }
    }
}

internal sealed unsafe class FftwRealFft : IRealFft
{
    private readonly FftwPlanHandle _forward;
    private readonly FftwPlanHandle _inverse;
    private readonly FftwBuffer _real;
    private readonly FftwBuffer _spectrum;

    internal FftwRealFft(FftwProvider provider, int n)
    {
        Length = n;
        _forward = provider.Plan(FftwProvider.PlanKind.R2C, n);
        _inverse = provider.Plan(FftwProvider.PlanKind.C2R, n);
        _real = new FftwBuffer((nuint)(n * sizeof(double)), single: false);
        _spectrum = new FftwBuffer((nuint)((n / 2 + 1) * 2 * sizeof(double)), single: false);
    }

    public int Length { get; }

    private int Bins => Length / 2 + 1;

    public void Forward(ReadOnlySpan<double> input, Span<Complex> output)
    {
        Check(input.Length, output.Length);
        input[..Length].CopyTo(new Span<double>(_real.Pointer, Length));
        Fftw3.ExecuteDftR2C(_forward.DangerousGetHandle(), (double*)_real.Pointer, (double*)_spectrum.Pointer);
        new ReadOnlySpan<Complex>(_spectrum.Pointer, Bins).CopyTo(output);
    }

    public void Inverse(ReadOnlySpan<Complex> input, Span<double> output)
    {
        Check(output.Length, input.Length);
        input[..Bins].CopyTo(new Span<Complex>(_spectrum.Pointer, Bins));
        Fftw3.ExecuteDftC2R(_inverse.DangerousGetHandle(), (double*)_spectrum.Pointer, (double*)_real.Pointer);
        new ReadOnlySpan<double>(_real.Pointer, Length).CopyTo(output);
    }

    public Span<double> RealBuffer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_real.IsClosed, this);
            return new Span<double>(_real.Pointer, Length);
        }
    }

    public Span<Complex> SpectrumBuffer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_real.IsClosed, this);
            return new Span<Complex>(_spectrum.Pointer, Bins);
        }
    }

    public void ForwardBuffers()
    {
        ObjectDisposedException.ThrowIf(_real.IsClosed, this);
        Fftw3.ExecuteDftR2C(_forward.DangerousGetHandle(), (double*)_real.Pointer, (double*)_spectrum.Pointer);
    }

    public void InverseBuffers()
    {
        ObjectDisposedException.ThrowIf(_real.IsClosed, this);
        Fftw3.ExecuteDftC2R(_inverse.DangerousGetHandle(), (double*)_spectrum.Pointer, (double*)_real.Pointer);
    }

    private void Check(int realLength, int bins)
    {
        ObjectDisposedException.ThrowIf(_real.IsClosed, this);
        if (realLength < Length || bins < Bins)
            throw new ArgumentException($"FFT of length {Length} needs {Length} samples and {Bins} bins, got {realLength} and {bins}");
    }

    public void Dispose()
    {
        _real.Dispose();
        _spectrum.Dispose();
    }
}

internal sealed unsafe class FftwRealFftSingle : IRealFftSingle
{
    private readonly FftwPlanHandle _forward;
    private readonly FftwPlanHandle _inverse;
    private readonly FftwBuffer _real;
    private readonly FftwBuffer _spectrum;

    internal FftwRealFftSingle(FftwProvider provider, int n)
    {
        Length = n;
        _forward = provider.Plan(FftwProvider.PlanKind.R2CSingle, n);
        _inverse = provider.Plan(FftwProvider.PlanKind.C2RSingle, n);
        _real = new FftwBuffer((nuint)(n * sizeof(float)), single: true);
        _spectrum = new FftwBuffer((nuint)(Floats * sizeof(float)), single: true);
    }

    public int Length { get; }

    private int Floats => 2 * (Length / 2 + 1);

    public void Forward(ReadOnlySpan<float> input, Span<float> interleavedOutput)
    {
        Check(input.Length, interleavedOutput.Length);
        input[..Length].CopyTo(new Span<float>(_real.Pointer, Length));
        Fftw3f.ExecuteDftR2C(_forward.DangerousGetHandle(), (float*)_real.Pointer, (float*)_spectrum.Pointer);
        new ReadOnlySpan<float>(_spectrum.Pointer, Floats).CopyTo(interleavedOutput);
    }

    public void Inverse(ReadOnlySpan<float> interleavedInput, Span<float> output)
    {
        Check(output.Length, interleavedInput.Length);
        interleavedInput[..Floats].CopyTo(new Span<float>(_spectrum.Pointer, Floats));
        Fftw3f.ExecuteDftC2R(_inverse.DangerousGetHandle(), (float*)_spectrum.Pointer, (float*)_real.Pointer);
        new ReadOnlySpan<float>(_real.Pointer, Length).CopyTo(output);
    }

    private void Check(int realLength, int floats)
    {
        ObjectDisposedException.ThrowIf(_real.IsClosed, this);
        if (realLength < Length || floats < Floats)
            throw new ArgumentException($"FFT of length {Length} needs {Length} samples and {Floats} spectrum floats, got {realLength} and {floats}");
    }

    public void Dispose()
    {
        _real.Dispose();
        _spectrum.Dispose();
    }
}

internal sealed unsafe class FftwComplexFft : IComplexFft
{
    private readonly FftwPlanHandle _forward;
    private readonly FftwPlanHandle _inverse;
    private readonly FftwBuffer _input;
    private readonly FftwBuffer _output;

    internal FftwComplexFft(FftwProvider provider, int n)
    {
        Length = n;
        _forward = provider.Plan(FftwProvider.PlanKind.C2CForward, n);
        _inverse = provider.Plan(FftwProvider.PlanKind.C2CBackward, n);
        _input = new FftwBuffer((nuint)(n * 2 * sizeof(double)), single: false);
        _output = new FftwBuffer((nuint)(n * 2 * sizeof(double)), single: false);
    }

    public int Length { get; }

    public void Forward(ReadOnlySpan<Complex> input, Span<Complex> output) => Run(_forward, input, output);

    public void Inverse(ReadOnlySpan<Complex> input, Span<Complex> output) => Run(_inverse, input, output);

    private void Run(FftwPlanHandle plan, ReadOnlySpan<Complex> input, Span<Complex> output)
    {
        ObjectDisposedException.ThrowIf(_input.IsClosed, this);
        if (input.Length < Length || output.Length < Length)
            throw new ArgumentException($"FFT of length {Length} needs {Length} points in and out, got {input.Length} and {output.Length}");
        input[..Length].CopyTo(new Span<Complex>(_input.Pointer, Length));
        Fftw3.ExecuteDft(plan.DangerousGetHandle(), (double*)_input.Pointer, (double*)_output.Pointer);
        new ReadOnlySpan<Complex>(_output.Pointer, Length).CopyTo(output);
    }

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
    }
}
