using System.Numerics;
using EphysPipeline.Core.Blas;
using EphysPipeline.Native.OpenBlas;

namespace EphysPipeline.Phase.Tests;

public class OpenBlasTests
{
    private static Complex[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
    }

    [Theory]
    [InlineData(BlasOp.None, BlasOp.None)]
    [InlineData(BlasOp.None, BlasOp.ConjugateTranspose)]
    [InlineData(BlasOp.ConjugateTranspose, BlasOp.None)]
    public void ZgemmMatchesManagedReference(BlasOp opA, BlasOp opB)
    {
        int m = 7, n = 5, k = 13;
        int lda = opA == BlasOp.None ? k : m, ldb = opB == BlasOp.None ? n : k;
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var c0 = Random(m * n, 3);
        var expected = c0.ToArray();
        var actual = c0.ToArray();
        var alpha = new Complex(0.7, -0.2);
        var beta = new Complex(0.5, 0.25);
        ManagedBlasProvider.Instance.Zgemm(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, expected, n);
        OpenBlasProvider.Shared.Zgemm(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, actual, n);
        for (int i = 0; i < expected.Length; i++) Assert.True(Complex.Abs(expected[i] - actual[i]) < 1e-13, $"element {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void ZherkUpperMatchesManagedReferenceAndLeavesLowerTriangle()
    {
        int n = 9, k = 31;
        var a = Random(n * k, 4);
        var c0 = Random(n * n, 5);
        var expected = c0.ToArray();
        var actual = c0.ToArray();
        ManagedBlasProvider.Instance.ZherkUpper(n, k, 1.5, a, k, 1.0, expected, n);
        OpenBlasProvider.Shared.ZherkUpper(n, k, 1.5, a, k, 1.0, actual, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (j < i) Assert.Equal(c0[i * n + j], actual[i * n + j]);
                else Assert.True(Complex.Abs(expected[i * n + j] - actual[i * n + j]) < 1e-12, $"({i},{j})");
            }
        }
    }

    [Fact]
    public void ResultIsBitwiseIdenticalWhateverThreadCallsIt()
    {
        int n = 96, k = 4096;
        var a = Random(n * k, 6);
        var single = new Complex[n * n];
        OpenBlasProvider.Shared.ZherkUpper(n, k, 1.0, a, k, 0.0, single, n);
        var concurrent = new Complex[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            concurrent[i] = new Complex[n * n];
            OpenBlasProvider.Shared.ZherkUpper(n, k, 1.0, a, k, 0.0, concurrent[i], n);
        });
        Assert.All(concurrent, c => Assert.Equal(single, c));
        Assert.Contains("(1 thread)", OpenBlasProvider.Shared.Name);
    }

    [Fact]
    public void ShapeThatDoesNotFitTheSpansIsRejectedBeforeTheNativeCall()
    {
        var a = new Complex[10];
        var c = new Complex[4];
        Assert.Throws<ArgumentException>(() => OpenBlasProvider.Shared.ZherkUpper(2, 6, 1.0, a, 6, 0.0, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenBlasProvider.Shared.ZherkUpper(2, 5, 1.0, a, 4, 0.0, c, 2));
    }
}
