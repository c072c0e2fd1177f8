namespace EphysPipeline.Core.Blas;

/// <summary>Checks BLAS shapes before a call, so a wrong size is an exception here rather than memory corruption.</summary>
public static class BlasArguments
{
    public static void Gemm(BlasOp opA, BlasOp opB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"negative dimension m={m} n={n} k={k}");
        var (aRows, aCols) = opA == BlasOp.None ? (m, k) : (k, m);
        var (bRows, bCols) = opB == BlasOp.None ? (k, n) : (n, k);
        Matrix("A", aRows, aCols, aLength, lda);
        Matrix("B", bRows, bCols, bLength, ldb);
        Matrix("C", m, n, cLength, ldc);
    }

    public static void Herk(int n, int k, int aLength, int lda, int cLength, int ldc)
    {
        if (n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(n), $"negative dimension n={n} k={k}");
        Matrix("A", n, k, aLength, lda);
        Matrix("C", n, n, cLength, ldc);
    }

    private static void Matrix(string name, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(name, $"{name}: row stride {ld} < columns {cols}");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{name}: {rows}×{cols} with row stride {ld} needs {needed} elements, span has {length}", name);
    }
}
