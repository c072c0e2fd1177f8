using EphysPipeline.Core;
using EphysPipeline.Phase;
using EphysPipeline.Study.Execution;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

public sealed class SpikeTrainStoreTests
{
    private const double Fs = 1250, Start = 3.5;

    /// <summary>Random trains (some unsorted, some empty, some off the grid) streamed in pieces of <paramref name="piece"/>.</summary>
    private static (UnitInfo[] Units, double[][] Times, Action<SpikeTimesVisitor> Read) Table(int units, long samples, int piece, int seed)
    {
        var random = new Random(seed);
        var times = new double[units][];
        for (int u = 0; u < units; u++)
        {
            int n = u % 7 == 3 ? 0 : random.Next(1, 4000);
            // Spread over the grid and a little beyond both ends.
            var t = Enumerable.Range(0, n).Select(_ => Start - 1 + random.NextDouble() * (samples / Fs + 2)).ToArray();
            if (u % 5 != 1) Array.Sort(t);
            times[u] = t;
        }
        var info = times.Select((t, u) => new UnitInfo(100 + u, u, t.Length, [u], "CA1")).ToArray();
        void Read(SpikeTimesVisitor visit)
        {
            for (int u = 0; u < units; u++)
                for (int k = 0; k < times[u].Length; k += piece)
                    visit(u, k, times[u].AsSpan(k, Math.Min(piece, times[u].Length - k)));
        }
        return (info, times, Read);
    }

    private static long[] Expected(double[] times, long samples, long first, long end) =>
        times.Select(t => SpikeFieldAccumulator.SampleOf(t, Start, Fs)).Where(s => s >= 0 && s < samples && s >= first && s < end).Order().ToArray();

    [Theory]
    [InlineData(64L << 20)]
    [InlineData(0L)]
    public void Windows_hold_each_units_spikes_in_order_in_memory_or_spilled(long memoryBytes)
    {
        long samples = (long)(Fs * 4000);
        var (units, times, read) = Table(900, samples, 333, 7);
        // Only some rows analysed (a unit filter): the store's unit k is units[k].
        var kept = units.Where(u => u.Row % 3 != 2).ToArray();
        double t1 = Start + samples / Fs;
        using var store = SpikeTrainStore.Build(kept, read, Start, Fs, samples, (Start, t1), memoryBytes);
        Assert.Equal(memoryBytes == 0, store.Spilled);
        Assert.True(store.BucketCount > 1);
        for (int k = 0; k < kept.Length; k++)
            Assert.Equal(times[kept[k].Row].LongCount(t => t < Start || t >= t1), store.Outside[k]);

        var random = new Random(3);
        long position = 0;
        // Forward in blocks, as a pass walks; then a second pass from the start (a state's pass).
        foreach (var pass in new[] { 0, 1 })
        {
            position = pass == 0 ? 0 : random.Next(0, 1000);
            while (position < samples)
            {
                long end = Math.Min(samples, position + random.Next(1, 400_000));
                store.Load(position, end);
                for (int k = 0; k < kept.Length; k += 7)
                {
                    var window = store.Spikes(k).ToArray().Where(s => s >= position && s < end).ToArray();
                    Assert.Equal(Expected(times[kept[k].Row], samples, position, end), window);
                    Assert.True(store.Spikes(k).SequenceCompareTo(store.Spikes(k).ToArray().Order().ToArray()) == 0);
                }
                position = end;
            }
        }
    }

    [Fact]
    public void No_units_or_no_spikes_gives_empty_windows()
    {
        using var store = SpikeTrainStore.Build([new UnitInfo(1, 0, 0, [], "x")], _ => { }, 0, Fs, 10_000, (0, 8));
        store.Load(0, 10_000);
        Assert.True(store.Spikes(0).IsEmpty);
        using var none = SpikeTrainStore.Build([], _ => { }, 0, Fs, 0, (0, 0));
        none.Load(0, 1);
    }

    [Fact]
    public void Spilled_buckets_leave_no_file_behind()
    {
        using var dir = Fixtures.TempDir();
        var (units, _, read) = Table(50, 1_000_000, 100, 1);
        using (var store = SpikeTrainStore.Build(units, read, Start, Fs, 1_000_000, (Start, Start + 800), memoryBytes: 0, tempDirectory: dir.Path))
        {
            Assert.True(store.Spilled);
            Assert.Single(Directory.GetFiles(dir.Path));
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
