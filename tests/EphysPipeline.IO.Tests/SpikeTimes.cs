using EphysPipeline.IO;

namespace EphysPipeline.IO.Tests;

/// <summary>Collects a file's streamed spike times into one array per units-table row.</summary>
internal static class SpikeTimes
{
    public static double[][] Read(NwbFile nwb, int sliceValues = 1 << 20)
    {
        var trains = nwb.ReadUnits().Select(u => new List<double>((int)u.SpikeCount)).ToArray();
        nwb.ReadSpikeTimes((row, first, times) =>
        {
            Assert.Equal(trains[row].Count, first);
            trains[row].AddRange(times.ToArray());
        }, sliceValues);
        return trains.Select(t => t.ToArray()).ToArray();
    }
}
