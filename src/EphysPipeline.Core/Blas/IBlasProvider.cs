using System.Numerics;

namespace EphysPipeline.Core.Blas;

/// <summary>Whether an operand of a product is used as stored or conjugate-transposed.</summary>
public enum BlasOp
{
    None,
    ConjugateTranspose,
}

/// <summary>
/// The few complex BLAS-3 products the phase engine needs, row-major. OpenBLAS in production,
/// <see cref="ManagedBlasProvider"/> as the reference the tests compare it with.
/// </summary>
public interface IBlasProvider
{
    /// <summary>Backend name for provenance, e.g. "OpenBLAS 0.3.21 ... (1 thread)".</summary>
    string Name { get; }

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C; op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides.
    /// </summary>
    void Zgemm(BlasOp opA, BlasOp opB, int m, int n, int k, Complex alpha,
        ReadOnlySpan<Complex> a, int lda, ReadOnlySpan<Complex> b, int ldb, Complex beta, Span<Complex> c, int ldc);

    /// <summary>
    /// Upper triangle (column ≥ row) of C = alpha·A·Aᴴ + beta·C for A n×k (row stride lda), C n×n (row stride ldc).
    /// The strict lower triangle of C is left untouched. Diagonal imaginary parts are set to zero.
    /// </summary>
    void ZherkUpper(int n, int k, double alpha, ReadOnlySpan<Complex> a, int lda, double beta, Span<Complex> c, int ldc);
}
