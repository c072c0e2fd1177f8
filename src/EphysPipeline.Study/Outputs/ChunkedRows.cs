using System.Collections;

namespace EphysPipeline.Study.Outputs;

/// <summary>
/// Append-only rows kept in fixed-size chunks: a high-density probe gives millions of pair rows, and a growing
/// list would copy them all (two copies alive) each time it doubles.
/// </summary>
public sealed class ChunkedRows<T> : IReadOnlyCollection<T>
{
    private const int ChunkSize = 1 << 16;
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(T row)
    {
        int slot = Count % ChunkSize;
        if (slot == 0) _chunks.Add(new T[ChunkSize]);
        _chunks[^1][slot] = row;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (int c = 0; c < _chunks.Count; c++)
        {
            var chunk = _chunks[c];
            int n = Math.Min(ChunkSize, Count - c * ChunkSize);
            for (int i = 0; i < n; i++) yield return chunk[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
