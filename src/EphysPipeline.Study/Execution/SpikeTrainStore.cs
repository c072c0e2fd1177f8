using System.Buffers;
using System.Runtime.InteropServices;
using EphysPipeline.Core;
using EphysPipeline.Phase;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// The analysed units' spike trains as sample indices on the analysis grid, re-laid by time: one streaming read of
/// the units table (which is stored unit by unit) sorts the spikes into time buckets, so a pass, which walks the
/// recording in time, holds only the spikes of the samples it is at. Memory does not grow with units × duration:
/// the buckets live in memory up to <see cref="DefaultMemoryBytes"/> and in a temporary file (TMPDIR, deleted on
/// close) beyond; a bucket holds about <see cref="SpikesPerBucket"/> spikes, 4 bytes each.
/// </summary>
internal sealed class SpikeTrainStore : IDisposable
{
    public const long DefaultMemoryBytes = 64L << 20;
    public const long SpikesPerBucket = 1L << 20;
    private const int BuildBufferInts = 8 << 20;

    private readonly Stream _backing;
    private readonly List<(long Offset, int Ints)>[] _segments;
    private readonly int[] _bucketInts;
    private readonly bool[] _unsorted;
    private readonly int _units;
    private long _loadedFirst = -1, _loadedEnd = -1;
    private long[] _samples = [];
    private readonly int[] _start;

    private SpikeTrainStore(Stream backing, int units, long bucketSamples, int buckets)
    {
        _backing = backing;
        _units = units;
        BucketSamples = bucketSamples;
        _segments = Enumerable.Range(0, buckets).Select(_ => new List<(long, int)>()).ToArray();
        _bucketInts = new int[buckets];
        _unsorted = new bool[units];
        _start = new int[units + 1];
        Outside = new long[units];
    }

    /// <summary>Samples of the grid per bucket.</summary>
    public long BucketSamples { get; }

    public int BucketCount => _segments.Length;

    /// <summary>True when the buckets are in a temporary file rather than in memory.</summary>
    public bool Spilled => _backing is FileStream;

    /// <summary>Per unit, the spikes whose time lies outside <c>[t0, t1)</c> given to <see cref="Build"/>.</summary>
    public long[] Outside { get; }

    /// <summary>
    /// Reads the spike times of <paramref name="units"/> (rows of the file's table) through <paramref name="read"/>,
    /// converting each to the sample at or before it, floor((t − startTime)·fs); spikes off the grid
    /// [0, <paramref name="sampleCount"/>) are dropped.
    /// </summary>
    /// <param name="span">The recording's time span [t0, t1), for <see cref="Outside"/>.</param>
    public static SpikeTrainStore Build(IReadOnlyList<UnitInfo> units, Action<SpikeTimesVisitor> read, double startTime, double sampleRate,
        long sampleCount, (double T0, double T1) span, long memoryBytes = DefaultMemoryBytes, string? tempDirectory = null)
    {
        long total = units.Sum(u => u.SpikeCount);
        // Bucket offsets are ints; at most ~1 Mi spikes per bucket.
        long buckets = Math.Max(1, Math.Max((total + SpikesPerBucket - 1) / SpikesPerBucket, (sampleCount + (1L << 30) - 1) >> 30));
        long bucketSamples = Math.Max(1, (sampleCount + buckets - 1) / buckets);
        int bucketCount = (int)Math.Max(1, (sampleCount + bucketSamples - 1) / bucketSamples);
        // Each unit's run in a bucket costs a two-int header besides its spikes.
        long bytes = 4 * (total + 2L * units.Count * bucketCount);
        Stream backing = bytes <= memoryBytes
            ? new MemoryStream()
            : new FileStream(Path.Combine(tempDirectory ?? Path.GetTempPath(), $"ephys-spikes-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var store = new SpikeTrainStore(backing, units.Count, bucketSamples, bucketCount);
        try
        {
            store.Fill(units, read, startTime, sampleRate, sampleCount, span);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    private void Fill(IReadOnlyList<UnitInfo> units, Action<SpikeTimesVisitor> read, double startTime, double sampleRate, long sampleCount,
        (double T0, double T1) span)
    {
        var index = new Dictionary<int, int>(units.Count);
        for (int k = 0; k < units.Count; k++) index[units[k].Row] = k;
        int capacity = Math.Clamp(BuildBufferInts / BucketCount, 1024, 1 << 16);
        var buffers = new int[BucketCount][];
        var fill = new int[BucketCount];
        var runUnit = new int[BucketCount];
        var runHeader = new int[BucketCount];
        Array.Fill(runUnit, -1);
        var last = new double[units.Count];
        Array.Fill(last, double.NegativeInfinity);

        void Flush(int b)
        {
            if (fill[b] == 0) return;
            _backing.Seek(0, SeekOrigin.End);
            _segments[b].Add((_backing.Position, fill[b]));
            _bucketInts[b] += fill[b];
            _backing.Write(MemoryMarshal.AsBytes(buffers[b].AsSpan(0, fill[b])));
            fill[b] = 0;
            runUnit[b] = -1;
        }

        read((row, _, times) =>
        {
            if (!index.TryGetValue(row, out int k)) return;
            foreach (double t in times)
            {
                if (t < last[k]) _unsorted[k] = true;
                last[k] = t;
                if (t < span.T0 || t >= span.T1) Outside[k]++;
                long sample = SpikeFieldAccumulator.SampleOf(t, startTime, sampleRate);
                if (sample < 0 || sample >= sampleCount) continue;
                int b = (int)(sample / BucketSamples);
                var buffer = buffers[b] ??= new int[capacity];
                if (fill[b] + (runUnit[b] == k ? 1 : 3) > capacity) Flush(b);
                if (runUnit[b] != k)
                {
                    buffer[fill[b]] = k;
                    buffer[fill[b] + 1] = 0;
                    runHeader[b] = fill[b] + 1;
                    fill[b] += 2;
                    runUnit[b] = k;
                }
                buffer[fill[b]++] = (int)(sample - (long)b * BucketSamples);
                buffer[runHeader[b]]++;
            }
        });
        for (int b = 0; b < BucketCount; b++) Flush(b);
    }

    /// <summary>Makes <see cref="Spikes"/> cover at least the samples [first, end).</summary>
    public void Load(long first, long end)
    {
        if (end <= first) return;
        long from = Math.Clamp(first / BucketSamples, 0, BucketCount - 1);
        long to = Math.Clamp((end - 1) / BucketSamples + 1, from + 1, BucketCount);
        if (from >= _loadedFirst && to <= _loadedEnd) return;

        int ints = 0;
        for (long b = from; b < to; b++) ints += _bucketInts[b];
        var raw = ArrayPool<int>.Shared.Rent(Math.Max(1, ints));
        try
        {
            int at = 0;
            for (long b = from; b < to; b++)
                foreach (var (offset, count) in _segments[b])
                {
                    _backing.Seek(offset, SeekOrigin.Begin);
                    _backing.ReadExactly(MemoryMarshal.AsBytes(raw.AsSpan(at, count)));
                    at += count;
                }

            Array.Clear(_start);
            for (int i = 0; i < at; i += 2 + raw[i + 1]) _start[raw[i] + 1] += raw[i + 1];
            for (int u = 0; u < _units; u++) _start[u + 1] += _start[u];
            if (_samples.Length < _start[_units]) _samples = new long[_start[_units]];
            var position = ArrayPool<int>.Shared.Rent(_units);
            try
            {
                _start.AsSpan(0, _units).CopyTo(position);
                // Runs come bucket by bucket, each bucket in read order: a unit's spikes stay in the table's order.
                at = 0;
                for (long b = from; b < to; b++)
                {
                    long bucketStart = b * BucketSamples;
                    int stop = at + _bucketInts[b];
                    for (; at < stop; at += 2 + raw[at + 1])
                    {
                        int unit = raw[at], count = raw[at + 1];
                        var target = _samples.AsSpan(position[unit], count);
                        for (int j = 0; j < count; j++) target[j] = bucketStart + raw[at + 2 + j];
                        position[unit] += count;
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(position);
            }
            for (int u = 0; u < _units; u++)
                if (_unsorted[u]) _samples.AsSpan(_start[u], _start[u + 1] - _start[u]).Sort();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(raw);
        }
        _loadedFirst = from;
        _loadedEnd = to;
    }

    /// <summary>Unit <paramref name="unit"/>'s spike samples, ascending, over the buckets last loaded.</summary>
    public ReadOnlySpan<long> Spikes(int unit) => _samples.AsSpan(_start[unit], _start[unit + 1] - _start[unit]);

    public void Dispose() => _backing.Dispose();
}
