using System.Numerics;

namespace EphysPipeline.Core.Blas;

/// <summary>
/// Straightforward triple-loop reference for <see cref="IBlasProvider"/>: slow, obviously correct, used by tests
/// to check the OpenBLAS binding and as a fallback where speed does not matter.
/// </summary>
public sealed class ManagedBlasProvider : IBlasProvider
{
    public static ManagedBlasProvider Instance { get; } = new();

    public string Name => "managed reference";

    public void Zgemm(BlasOp opA, BlasOp opB, int m, int n, int k, Complex alpha,
        ReadOnlySpan<Complex> a, int lda, ReadOnlySpan<Complex> b, int ldb, Complex beta, Span<Complex> c, int ldc)
    {
        BlasArguments.Gemm(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Complex sum = Complex.Zero;
                for (int p = 0; p < k; p++)
                {
                    var x = opA == BlasOp.None ? a[i * lda + p] : Complex.Conjugate(a[p * lda + i]);
                    var y = opB == BlasOp.None ? b[p * ldb + j] : Complex.Conjugate(b[j * ldb + p]);
                    sum += x * y;
                }
                ref var target = ref c[i * ldc + j];
                target = beta == Complex.Zero ? alpha * sum : alpha * sum + beta * target;
            }
        }
    }

    public void ZherkUpper(int n, int k, double alpha, ReadOnlySpan<Complex> a, int lda, double beta, Span<Complex> c, int ldc)
    {
        BlasArguments.Herk(n, k, a.Length, lda, c.Length, ldc);
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                Complex sum = Complex.Zero;
                for (int p = 0; p < k; p++) sum += a[i * lda + p] * Complex.Conjugate(a[j * lda + p]);
                ref var target = ref c[i * ldc + j];
                target = beta == 0 ? alpha * sum : alpha * sum + beta * target;
                if (i == j) target = new Complex(target.Real, 0);
            }
        }
    }
}
