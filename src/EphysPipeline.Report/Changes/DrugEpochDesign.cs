namespace EphysPipeline.Report.Changes;

/// <summary>
/// The fixed-effects design of <c>change ~ drug × epoch</c> in R's treatment coding (first level of each factor is
/// the reference; interaction columns with the drug varying fastest), with columns that are linearly dependent on
/// earlier ones dropped as lme4 does (an empty drug × epoch cell loses its interaction column).
/// </summary>
public sealed class DrugEpochDesign
{
    private readonly int[] _drug, _epoch;
    private readonly int[] _kept;
    private readonly int _drugLevels, _epochLevels;

    public double[,] X { get; }
    public IReadOnlyList<string> ColumnNames { get; }

    public DrugEpochDesign(IReadOnlyList<string> drugLevels, IReadOnlyList<string> epochLevels, int[] drug, int[] epoch)
    {
        _drug = drug;
        _epoch = epoch;
        _drugLevels = drugLevels.Count;
        _epochLevels = epochLevels.Count;
        var names = new List<string> { "(Intercept)" };
        names.AddRange(drugLevels.Skip(1).Select(d => "drug" + d));
        names.AddRange(epochLevels.Skip(1).Select(e => "epoch" + e));
        foreach (var e in epochLevels.Skip(1))
            foreach (var d in drugLevels.Skip(1)) names.Add($"drug{d}:epoch{e}");
        int n = drug.Length;
        var full = new double[n][];
        for (int i = 0; i < n; i++) full[i] = Row(drug[i], epoch[i]);
        _kept = IndependentColumns(full, names.Count);
        X = new double[n, _kept.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < _kept.Length; j++) X[i, j] = full[i][_kept[j]];
        ColumnNames = _kept.Select(j => names[j]).ToList();
    }

    /// <summary>Full-coding design row of one drug × epoch cell.</summary>
    private double[] Row(int d, int e)
    {
        int dn = _drugLevels - 1, en = _epochLevels - 1;
        var r = new double[1 + dn + en + dn * en];
        r[0] = 1;
        if (d > 0) r[d] = 1;
        if (e > 0) r[dn + e] = 1;
        if (d > 0 && e > 0) r[1 + dn + en + (e - 1) * dn + (d - 1)] = 1;
        return r;
    }

    /// <summary>
    /// L for cell mean (drug d, epoch e) − cell mean (drug 0, epoch e) on the kept columns, or null unless both cells
    /// have observations (a cell with data is a row of X, so the difference is estimable).
    /// </summary>
    public double[]? VersusReference(int d, int e)
    {
        bool Has(int dd) => Enumerable.Range(0, _drug.Length).Any(i => _drug[i] == dd && _epoch[i] == e);
        if (!Has(d) || !Has(0)) return null;
        var a = Row(d, e);
        var b = Row(0, e);
        return _kept.Select(j => a[j] - b[j]).ToArray();
    }

    /// <summary>Columns kept by Gram–Schmidt in order: dropped when the residual norm is ≤ 1e-7 of the column's norm.</summary>
    private static int[] IndependentColumns(double[][] rows, int p)
    {
        int n = rows.Length;
        var basis = new List<double[]>();
        var kept = new List<int>();
        for (int j = 0; j < p; j++)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rows[i][j];
            double norm = Math.Sqrt(v.Sum(x => x * x));
            if (norm == 0) continue;
            foreach (var b in basis)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i] * b[i];
                for (int i = 0; i < n; i++) v[i] -= dot * b[i];
            }
            double residual = Math.Sqrt(v.Sum(x => x * x));
            if (residual <= 1e-7 * norm) continue;
            for (int i = 0; i < n; i++) v[i] /= residual;
            basis.Add(v);
            kept.Add(j);
        }
        return kept.ToArray();
    }
}
