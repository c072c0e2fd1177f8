using System.Collections;
using System.Runtime.CompilerServices;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// A session's pair rows, millions for a high-density probe, held as 16 bytes each instead of <see cref="PairRow"/>'s
/// 72: the (epoch, band, measure, state) labels and the pairs of (electrode, region) channels are kept once in tables
/// and each row holds the indices of its label and its pair. Enumeration gives back the rows as added, the same string
/// instances included.
/// </summary>
public sealed class PairRows : IReadOnlyCollection<PairRow>
{
    private readonly record struct Packed(int Label, int Pair, double Value);

    private readonly ChunkedRows<Packed> _rows = new();
    private readonly List<Label> _labels = [];
    // Keyed by the strings' identity: rows of one band and epoch share their instances, so a lookup hashes no text;
    // an equal string from elsewhere only adds one more table entry.
    private readonly Dictionary<Label, int> _labelIndex = [];
    private readonly List<(Channel A, Channel B)> _pairs = [];
    private readonly Dictionary<(Channel A, Channel B), int> _pairIndex = [];

    public int Count => _rows.Count;

    public void Add(PairRow row)
    {
        int label = Index(_labelIndex, _labels, new Label(row.Epoch, row.Band, row.Measure, row.State));
        int pair = Index(_pairIndex, _pairs, (new Channel(row.ChannelA, row.RegionA), new Channel(row.ChannelB, row.RegionB)));
        _rows.Add(new Packed(label, pair, row.Value));
    }

    public IEnumerator<PairRow> GetEnumerator()
    {
        foreach (var row in _rows)
        {
            var label = _labels[row.Label];
            var (a, b) = _pairs[row.Pair];
            yield return new PairRow(label.Epoch, label.Band, label.Measure, a.Electrode, b.Electrode, a.Region, b.Region, row.Value) { State = label.State };
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int Index<T>(Dictionary<T, int> index, List<T> table, T key) where T : notnull
    {
        if (index.TryGetValue(key, out int at)) return at;
        index.Add(key, table.Count);
        table.Add(key);
        return table.Count - 1;
    }

    private readonly record struct Label(string Epoch, string Band, string Measure, string State)
    {
        public bool Equals(Label other) => ReferenceEquals(Epoch, other.Epoch) && ReferenceEquals(Band, other.Band)
            && ReferenceEquals(Measure, other.Measure) && ReferenceEquals(State, other.State);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Epoch), RuntimeHelpers.GetHashCode(Band),
            RuntimeHelpers.GetHashCode(Measure), RuntimeHelpers.GetHashCode(State));
    }

    private readonly record struct Channel(long Electrode, string Region)
    {
        public bool Equals(Channel other) => Electrode == other.Electrode && ReferenceEquals(Region, other.Region);

        public override int GetHashCode() => HashCode.Combine(Electrode, RuntimeHelpers.GetHashCode(Region));
    }
}
