using System.Globalization;
using EphysPipeline.Core;

namespace EphysPipeline.Study.Manifest;

/// <summary>
/// The manifest's units: block — which sorted units take part, by the units table's own columns (as spike sorters
/// and curation write them: quality, isi_violations, presence_ratio, amplitude_cutoff, snr, ...).
/// </summary>
/// <param name="Equal">Column = value: text columns compared exactly, numeric columns as numbers.</param>
/// <param name="Min">Numeric column ≥ value (NaN fails).</param>
/// <param name="Max">Numeric column ≤ value (NaN fails).</param>
public sealed record UnitFilter(IReadOnlyList<KeyValuePair<string, string>> Equal, IReadOnlyList<KeyValuePair<string, double>> Min,
    IReadOnlyList<KeyValuePair<string, double>> Max)
{
    public static UnitFilter None { get; } = new([], [], []);

    public bool IsNone => Equal.Count == 0 && Min.Count == 0 && Max.Count == 0;

    /// <summary>The columns the filter reads.</summary>
    public IEnumerable<string> Columns => Equal.Select(e => e.Key).Concat(Min.Select(m => m.Key)).Concat(Max.Select(m => m.Key)).Distinct(StringComparer.Ordinal);

    /// <summary>The units that pass every condition, in table order.</summary>
    /// <param name="read">Reads one column of the table (throws <see cref="EphysInputException"/> when it cannot).</param>
    public IReadOnlyList<UnitInfo> Apply(IReadOnlyList<UnitInfo> units, Func<string, UnitColumn> read, string file)
    {
        if (IsNone || units.Count == 0) return units;
        var keep = Enumerable.Repeat(true, units.Count).ToArray();
        var columns = Columns.ToDictionary(c => c, read, StringComparer.Ordinal);
        foreach (var (name, value) in Equal)
        {
            var column = columns[name];
            if (column.Texts is { } texts)
                for (int u = 0; u < units.Count; u++) keep[u] &= texts[u] == value;
            else
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    throw new EphysInputException(file, "/units/" + name, $"the column is numeric but units.equal.{name} is '{value}'");
                for (int u = 0; u < units.Count; u++) keep[u] &= column.Numbers![u] == number;
            }
        }
        foreach (var (bounds, isMin) in new[] { (Min, true), (Max, false) })
        {
            foreach (var (name, limit) in bounds)
            {
                var values = columns[name].Numbers
                    ?? throw new EphysInputException(file, "/units/" + name, $"units.{(isMin ? "min" : "max")}.{name} needs a numeric column; this one holds text");
                for (int u = 0; u < units.Count; u++) keep[u] &= isMin ? values[u] >= limit : values[u] <= limit;
            }
        }
        return units.Where((_, u) => keep[u]).ToList();
    }

    public bool Equals(UnitFilter? other) =>
        other is not null && Equal.SequenceEqual(other.Equal) && Min.SequenceEqual(other.Min) && Max.SequenceEqual(other.Max);

    public override int GetHashCode() => HashCode.Combine(Equal.Count, Min.Count, Max.Count);
}
