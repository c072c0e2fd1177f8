using MathNet.Numerics.LinearAlgebra;

namespace EphysPipeline.Report.Statistics;

/// <summary>A linear combination L'β of the fixed effects with its Satterthwaite t test and 95 % interval.</summary>
public readonly record struct MixedModelContrast(double Estimate, double Se, double Df, double T, double P, double Low, double High);

/// <summary>
/// REML fit of y = Xβ + b_subject + b_session + ε with independent normal random intercepts per subject and,
/// optionally, per session nested in a subject (lme4's <c>(1 | subject)</c> / <c>(1 | subject/session)</c>).
/// Variance ratios θ = sd(b)/σ ≥ 0 minimise lme4's profiled REML criterion; Satterthwaite degrees of freedom follow
/// lmerTest: the Hessian of the REML deviance in (θ, σ) with β profiled, its Moore–Penrose inverse (eigenvalues
/// ≤ 1e-8 dropped) times 2 as the covariance of (θ, σ), and the Jacobian of Var(β) — both analytic here.
/// </summary>
public sealed class LinearMixedModel
{
    /// <summary>lme4's isSingular tolerance on θ.</summary>
    public const double SingularTolerance = 1e-4;
    private const double EigenTolerance = 1e-8;

    private readonly Matrix<double> _x;
    private readonly double[] _y;
    private readonly int[][] _levels;      // per random term: level index of every observation
    private readonly int[] _levelCounts;
    private readonly int[][] _blocks;      // observations of each subject (V is block diagonal by subject)
    private readonly int _n, _p;

    public double[] Theta { get; private set; } = [];
    public double Sigma { get; private set; }
    public double[] Beta { get; private set; } = [];
    public Matrix<double> CovBeta { get; private set; } = Matrix<double>.Build.Dense(0, 0);
    public double RemlCriterion { get; private set; }
    public bool Singular { get; private set; }
    /// <summary>"ok", "boundary (singular) fit", or why the optimum or the df are not to be trusted.</summary>
    public string Status { get; private set; } = "ok";

    private Matrix<double> _vcovVarpar = Matrix<double>.Build.Dense(0, 0);
    private Matrix<double>[] _jacobian = [];

    /// <param name="x">n × p fixed-effects design of full column rank.</param>
    /// <param name="subject">subject level (0-based) of every observation.</param>
    /// <param name="session">session level (0-based, unique across subjects) of every observation, or null for no session term.</param>
    private LinearMixedModel(double[,] x, double[] y, int[] subject, int[]? session)
    {
        _n = y.Length;
        _p = x.GetLength(1);
        _x = Matrix<double>.Build.DenseOfArray(x);
        _y = y;
        _levels = session is null ? [subject] : [subject, session];
        _levelCounts = _levels.Select(l => l.Max() + 1).ToArray();
        var byLevel = new List<int>[_levelCounts[0]];
        for (int i = 0; i < _n; i++) (byLevel[subject[i]] ??= []).Add(i);
        _blocks = byLevel.Where(b => b is not null).Select(b => b.ToArray()).ToArray();
    }

    public static LinearMixedModel Fit(double[,] x, double[] y, int[] subject, int[]? session)
    {
        if (x.GetLength(0) != y.Length || subject.Length != y.Length || (session is not null && session.Length != y.Length))
            throw new ArgumentException("design, response and grouping lengths differ");
        var m = new LinearMixedModel(x, y, subject, session);
        m.Optimise();
        m.Finish();
        return m;
    }

    /// <summary>The test of L'β = 0: lmerTest contest1D(model, L, confint = TRUE).</summary>
    public MixedModelContrast Contrast(ReadOnlySpan<double> l)
    {
        var lv = Vector<double>.Build.DenseOfArray(l.ToArray());
        double estimate = lv.DotProduct(Vector<double>.Build.DenseOfArray(Beta));
        double variance = lv.DotProduct(CovBeta * lv);
        var grad = Vector<double>.Build.Dense(_jacobian.Length, k => lv.DotProduct(_jacobian[k] * lv));
        double df = 2 * variance * variance / grad.DotProduct(_vcovVarpar * grad);
        double se = Math.Sqrt(variance), t = estimate / se;
        double half = Distributions.StudentTIsf(0.025, df) * se;
        return new MixedModelContrast(estimate, se, df, t, Distributions.StudentTTwoSided(t, df), estimate - half, estimate + half);
    }

    // ---- REML criterion, summed over subject blocks ----

    private readonly record struct Gls(Matrix<double> A, Vector<double> C, double YVy, double LogDetV);

    private Gls Accumulate(ReadOnlySpan<double> theta)
    {
        var a = Matrix<double>.Build.Dense(_p, _p);
        var c = Vector<double>.Build.Dense(_p);
        double yvy = 0, logDet = 0;
        foreach (var block in _blocks)
        {
            var chol = BlockV(block, theta).Cholesky();
            logDet += chol.DeterminantLn;
            var xb = Matrix<double>.Build.Dense(block.Length, _p, (i, j) => _x[block[i], j]);
            var yb = Vector<double>.Build.Dense(block.Length, i => _y[block[i]]);
            var vx = chol.Solve(xb);
            var vy = chol.Solve(yb);
            a += xb.TransposeThisAndMultiply(vx);
            c += xb.TransposeThisAndMultiply(vy);
            yvy += yb.DotProduct(vy);
        }
        return new Gls(a, c, yvy, logDet);
    }

    /// <summary>V_b = I + Σ θ_k² Z_k Z_k' on one subject's observations (σ² factored out).</summary>
    private Matrix<double> BlockV(int[] block, ReadOnlySpan<double> theta)
    {
        int m = block.Length;
        var v = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < theta.Length; k++)
                    if (_levels[k][block[i]] == _levels[k][block[j]]) s += theta[k] * theta[k];
                v[i, j] = s;
            }
        return v;
    }

    /// <summary>lme4's REML criterion with σ profiled out: log|V| + log|X'V⁻¹X| + (n−p)(1 + log(2π r²/(n−p))).</summary>
    private double Deviance(ReadOnlySpan<double> theta)
    {
        var g = Accumulate(theta);
        var chol = g.A.Cholesky();
        double r2 = g.YVy - g.C.DotProduct(chol.Solve(g.C));
        int dfr = _n - _p;
        return g.LogDetV + chol.DeterminantLn + dfr * (1 + Math.Log(2 * Math.PI * Math.Max(r2, 0) / dfr));
    }

    // ---- analytic derivatives of the REML deviance in (θ, σ) ----

    private sealed record Derivs(double[] ProfiledGradient, Matrix<double> Hessian, Matrix<double>[] K,
        Matrix<double> AInverse, Vector<double> Beta, double R2, double[] PhiGradient);

    /// <summary>At θ and σ̂(θ): gradient of the profiled criterion in θ, Hessian of dev(θ, σ) in (θ, σ), and X'WG_kWX.</summary>
    private Derivs Derivatives(double[] theta)
    {
        int q = theta.Length;
        var w = Matrix<double>.Build.Dense(_n, _n);
        foreach (var block in _blocks)
        {
            var inv = BlockV(block, theta).Inverse();
            for (int i = 0; i < block.Length; i++)
                for (int j = 0; j < block.Length; j++) w[block[i], block[j]] = inv[i, j];
        }
        var wx = w * _x;
        var aInv = (_x.TransposeThisAndMultiply(wx)).Inverse();
        var pm = w - wx * aInv * wx.Transpose();
        var y = Vector<double>.Build.DenseOfArray(_y);
        var py = pm * y;
        double r2 = y.DotProduct(py);
        var beta = aInv * (wx.TransposeThisAndMultiply(y));
        int dfr = _n - _p;
        double s2 = r2 / dfr, sigma = Math.Sqrt(s2);

        var pz = new Matrix<double>[q];
        var u = new Vector<double>[q];
        var k = new Matrix<double>[q];
        for (int a = 0; a < q; a++)
        {
            pz[a] = SumColumns(pm, _levels[a], _levelCounts[a]);
            u[a] = SumRows(py.ToColumnMatrix(), _levels[a], _levelCounts[a]).Column(0);
            var zwx = SumRows(wx, _levels[a], _levelCounts[a]);
            k[a] = zwx.TransposeThisAndMultiply(zwx);
        }
        var d1 = new double[q];
        var d2 = new double[q, q];
        var dSigma = new double[q];
        for (int a = 0; a < q; a++)
        {
            double trace = SumRows(pz[a], _levels[a], _levelCounts[a]).Trace();
            double s = u[a].DotProduct(u[a]);
            d1[a] = trace - s / s2;
            dSigma[a] = 2 * s / (s2 * sigma);
            for (int b = 0; b < q; b++)
            {
                var mab = SumRows(pz[b], _levels[a], _levelCounts[a]); // Z_a' P Z_b
                double frob = mab.FrobeniusNorm();
                d2[a, b] = -frob * frob + 2 * u[a].DotProduct(mab * u[b]) / s2;
            }
        }
        var h = Matrix<double>.Build.Dense(q + 1, q + 1);
        var gradient = new double[q];
        for (int a = 0; a < q; a++)
        {
            gradient[a] = 2 * theta[a] * d1[a];
            for (int b = 0; b < q; b++) h[a, b] = 4 * theta[a] * theta[b] * d2[a, b] + (a == b ? 2 * d1[a] : 0);
            h[a, q] = h[q, a] = 2 * theta[a] * dSigma[a];
        }
        h[q, q] = 6 * r2 / (s2 * s2) - 2 * dfr / s2;
        return new Derivs(gradient, h, k, aInv, beta, r2, d1);
    }

    private static Matrix<double> SumColumns(Matrix<double> m, int[] level, int count)
    {
        var r = Matrix<double>.Build.Dense(m.RowCount, count);
        for (int j = 0; j < m.ColumnCount; j++)
            for (int i = 0; i < m.RowCount; i++) r[i, level[j]] += m[i, j];
        return r;
    }

    private static Matrix<double> SumRows(Matrix<double> m, int[] level, int count)
    {
        var r = Matrix<double>.Build.Dense(count, m.ColumnCount);
        for (int i = 0; i < m.RowCount; i++)
            for (int j = 0; j < m.ColumnCount; j++) r[level[i], j] += m[i, j];
        return r;
    }

    // ---- optimisation over θ ≥ 0 ----

    private static double FromUnit(double u) => u / (1 - u);
    private const double UnitMax = 1 - 1e-9;

    /// <summary>
    /// Brent in u = θ/(1+θ) ∈ [0, 1) per coordinate (cycled for two terms), θ_k set to the bound when the criterion
    /// rises from θ_k = 0, then Newton steps on the free θ with the analytic profiled gradient and Hessian.
    /// </summary>
    private void Optimise()
    {
        int q = _levels.Length;
        var theta = Enumerable.Repeat(1.0, q).ToArray();
        for (int round = 0; round < 60; round++)
        {
            double change = 0;
            for (int k = 0; k < q; k++)
            {
                var trial = (double[])theta.Clone();
                double old = theta[k] / (1 + theta[k]);
                double best = BrentMinimum(u => { trial[k] = FromUnit(u); return Deviance(trial); }, 0, UnitMax);
                trial[k] = 0;
                double atZero = Deviance(trial);
                trial[k] = FromUnit(best);
                theta[k] = atZero <= Deviance(trial) ? 0 : FromUnit(best);
                change = Math.Max(change, Math.Abs(theta[k] / (1 + theta[k]) - old));
            }
            if (q == 1 || change < 1e-9) break;
        }

        var free = new bool[q];
        for (int k = 0; k < q; k++)
        {
            if (theta[k] >= SingularTolerance) { free[k] = true; continue; }
            var atZero = (double[])theta.Clone();
            atZero[k] = 0;
            if (Derivatives(atZero).PhiGradient[k] >= 0) theta[k] = 0;
            else free[k] = true;
        }
        Polish(theta, free);
        Theta = theta;
    }

    private void Polish(double[] theta, bool[] free)
    {
        var idx = Enumerable.Range(0, theta.Length).Where(k => free[k]).ToArray();
        if (idx.Length == 0) return;
        for (int iter = 0; iter < 50; iter++)
        {
            var d = Derivatives(theta);
            int q = theta.Length;
            // Profiled Hessian: Schur complement of σ.
            var hp = Matrix<double>.Build.Dense(idx.Length, idx.Length,
                (a, b) => d.Hessian[idx[a], idx[b]] - d.Hessian[idx[a], q] * d.Hessian[q, idx[b]] / d.Hessian[q, q]);
            var g = Vector<double>.Build.Dense(idx.Length, a => d.ProfiledGradient[idx[a]]);
            if (hp.Evd().EigenValues.Any(e => e.Real <= 0)) return;
            var step = -hp.Solve(g);
            double lambda = 1, before = Deviance(theta);
            var trial = (double[])theta.Clone();
            while (true)
            {
                for (int a = 0; a < idx.Length; a++) trial[idx[a]] = theta[idx[a]] + lambda * step[a];
                if (trial.All(t => t >= 0) && Deviance(trial) <= before + 1e-10 * (1 + Math.Abs(before))) break;
                lambda /= 2;
                if (lambda < 1e-8) return;
            }
            Array.Copy(trial, theta, q);
            bool done = true;
            for (int a = 0; a < idx.Length; a++) done &= Math.Abs(lambda * step[a]) <= 1e-13 * (1 + theta[idx[a]]);
            if (done) return;
        }
    }

    /// <summary>Brent's fmin (golden section with parabolic steps), as R's optimize.</summary>
    private static double BrentMinimum(Func<double, double> f, double lo, double hi)
    {
        const double golden = 0.3819660112501051, eps = 1.4901161193847656e-08, tol = 1e-12;
        double a = lo, b = hi, v = a + golden * (b - a), w = v, x = v, e = 0, d = 0;
        double fx = f(x), fv = fx, fw = fx;
        for (int iter = 0; iter < 500; iter++)
        {
            double xm = 0.5 * (a + b), tol1 = eps * Math.Abs(x) + tol / 3, tol2 = 2 * tol1;
            if (Math.Abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
            double p = 0, q = 0, r = 0;
            if (Math.Abs(e) > tol1)
            {
                r = (x - w) * (fx - fv);
                q = (x - v) * (fx - fw);
                p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) p = -p; else q = -q;
                r = e;
                e = d;
            }
            if (Math.Abs(p) >= Math.Abs(0.5 * q * r) || p <= q * (a - x) || p >= q * (b - x))
            {
                e = x < xm ? b - x : a - x;
                d = golden * e;
            }
            else
            {
                d = p / q;
                double uu = x + d;
                if (uu - a < tol2 || b - uu < tol2) d = x < xm ? tol1 : -tol1;
            }
            double u = Math.Abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
            double fu = f(u);
            if (fu <= fx)
            {
                if (u < x) b = x; else a = x;
                v = w; fv = fw; w = x; fw = fx; x = u; fx = fu;
            }
            else
            {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x) { v = w; fv = fw; w = u; fw = fu; }
                else if (fu <= fv || v == x || v == w) { v = u; fv = fu; }
            }
        }
        return x;
    }

    // ---- estimates, Var(β) and the covariance of (θ, σ) ----

    private void Finish()
    {
        int q = Theta.Length;
        var d = Derivatives(Theta);
        Sigma = Math.Sqrt(d.R2 / (_n - _p));
        Beta = d.Beta.ToArray();
        CovBeta = d.AInverse * (Sigma * Sigma);
        RemlCriterion = Deviance(Theta);
        Singular = Theta.Any(t => t < SingularTolerance);

        var evd = d.Hessian.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var inverse = Matrix<double>.Build.Dense(q + 1, q + 1);
        for (int i = 0; i <= q; i++)
        {
            if (!(values[i] > EigenTolerance)) continue;
            var vec = evd.EigenVectors.Column(i);
            inverse += vec.OuterProduct(vec) / values[i];
        }
        _vcovVarpar = inverse * 2;
        _jacobian = new Matrix<double>[q + 1];
        for (int k = 0; k < q; k++) _jacobian[k] = d.AInverse * d.K[k] * d.AInverse * (2 * Theta[k] * Sigma * Sigma);
        _jacobian[q] = d.AInverse * (2 * Sigma);

        int negative = values.Count(v => v < -EigenTolerance), zero = values.Count(v => Math.Abs(v) <= EigenTolerance);
        double gradient = Enumerable.Range(0, q).Where(k => Theta[k] > 0).Select(k => Math.Abs(d.ProfiledGradient[k])).DefaultIfEmpty(0).Max();
        if (!double.IsFinite(Sigma) || Beta.Any(b => !double.IsFinite(b))) Status = "did not converge: non-finite estimates";
        else if (negative > 0) Status = $"did not converge: {negative} negative eigenvalue(s) of the REML Hessian";
        else if (gradient > 1e-4) Status = $"did not converge: REML gradient {gradient:0.0e0}";
        else if (Singular) Status = "boundary (singular) fit";
        else if (zero > 0) Status = $"may not have converged: {zero} eigenvalue(s) of the REML Hessian near zero";
    }
}
