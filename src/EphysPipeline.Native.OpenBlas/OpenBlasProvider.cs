using System.Numerics;
using System.Runtime.InteropServices;
using EphysPipeline.Core.Blas;

namespace EphysPipeline.Native.OpenBlas;

/// <summary>
/// OpenBLAS through our own P/Invoke, always single-threaded: OpenBLAS's thread count is process-wide and its
/// multi-threaded zherk partitions the work so that results change in the last bits with the thread count
/// (measured: 1 vs 2 threads differ). The pipeline parallelises across sessions and bands itself, so one
/// OpenBLAS thread per call keeps every result bitwise identical however many of our threads call it.
/// </summary>
public sealed unsafe class OpenBlasProvider : IBlasProvider
{
    private OpenBlasProvider()
    {
        OpenBlasLibrary.EnsureLoaded();
        OpenBlasNative.SetNumThreads(1);
        var config = Marshal.PtrToStringAnsi(OpenBlasNative.GetConfig()) ?? "OpenBLAS";
        Name = $"{config} (1 thread)";
    }

    /// <summary>The process's provider; the first use loads libopenblas and fixes its thread count to 1.</summary>
    public static OpenBlasProvider Shared => SharedInstance.Value;

    private static readonly Lazy<OpenBlasProvider> SharedInstance = new(() => new OpenBlasProvider());

    public string Name { get; }

    public void Zgemm(BlasOp opA, BlasOp opB, int m, int n, int k, Complex alpha,
        ReadOnlySpan<Complex> a, int lda, ReadOnlySpan<Complex> b, int ldb, Complex beta, Span<Complex> c, int ldc)
    {
        BlasArguments.Gemm(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (Complex* pa = a)
        fixed (Complex* pb = b)
        fixed (Complex* pc = c)
        {
            OpenBlasNative.Zgemm(OpenBlasNative.RowMajor, Op(opA), Op(opB), m, n, k,
                &alpha, pa, lda, pb, ldb, &beta, pc, ldc);
        }
    }

    public void ZherkUpper(int n, int k, double alpha, ReadOnlySpan<Complex> a, int lda, double beta, Span<Complex> c, int ldc)
    {
        BlasArguments.Herk(n, k, a.Length, lda, c.Length, ldc);
        if (n == 0) return;
        fixed (Complex* pa = a)
        fixed (Complex* pc = c)
        {
            OpenBlasNative.Zherk(OpenBlasNative.RowMajor, OpenBlasNative.Upper, OpenBlasNative.NoTrans, n, k,
                alpha, pa, lda, beta, pc, ldc);
        }
    }

    private static int Op(BlasOp op) => op == BlasOp.None ? OpenBlasNative.NoTrans : OpenBlasNative.ConjTrans;
}
