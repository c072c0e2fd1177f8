using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Tests.Outputs;

public class PairRowsTests
{
    [Fact]
    public void GivesBackEveryRowAsAddedInOrder()
    {
        // Equal strings that are different instances, NaN and signed zero, states, and one more row than a chunk holds.
        string epoch = "acute", otherEpoch = new("acute".AsSpan());
        string[] measures = ["plv", "wpli", "phase_diff_rad"];
        var expected = new List<PairRow>();
        for (int i = 0; i < 70_000; i++)
        {
            double value = i % 7 == 0 ? double.NaN : i % 11 == 0 ? -0.0 : i * 0.001;
            var row = new PairRow(i % 3 == 0 ? otherEpoch : epoch, i % 2 == 0 ? "theta" : "low_gamma", measures[i % 3],
                i % 50, 50 + i % 13, i % 50 < 25 ? "PFC" : "HPC", "HPC", value) { State = i % 5 == 0 ? "running" : "all" };
            expected.Add(row);
        }
        var rows = new PairRows();
        foreach (var row in expected) rows.Add(row);

        Assert.Equal(expected.Count, rows.Count);
        var actual = rows.ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.Epoch, e.Band, e.Measure, e.ChannelA, e.ChannelB, e.RegionA, e.RegionB, e.State),
                (a.Epoch, a.Band, a.Measure, a.ChannelA, a.ChannelB, a.RegionA, a.RegionB, a.State));
            Assert.Equal(BitConverter.DoubleToInt64Bits(e.Value), BitConverter.DoubleToInt64Bits(a.Value));
        }
    }
}
