using EphysPipeline.Core;

namespace EphysPipeline.Preprocessing;

/// <summary>
/// Fewer channels per region, so that all-pairs measures stay tractable on dense probes: of each region's good
/// channels (in recording order), every <paramref name="Step"/>-th, then at most <paramref name="MaxPerRegion"/> of
/// those spread evenly over the region. Deterministic: depends only on the channel list and the good positions.
/// </summary>
public sealed record ChannelThinning(int Step = 1, int? MaxPerRegion = null)
{
    /// <summary>True when it keeps every channel.</summary>
    public bool KeepsAll => Step == 1 && MaxPerRegion is null;

    /// <summary>The indices into <paramref name="good"/> to keep, in recording order.</summary>
    /// <param name="channels">The recording's channels (regions are read from them).</param>
    /// <param name="good">Positions of the good channels in <paramref name="channels"/>.</param>
    public IReadOnlyList<int> Select(IReadOnlyList<ChannelInfo> channels, IReadOnlyList<int> good)
    {
        if (Step < 1) throw new ArgumentOutOfRangeException(nameof(Step), Step, "step must be >= 1");
        if (MaxPerRegion is < 1) throw new ArgumentOutOfRangeException(nameof(MaxPerRegion), MaxPerRegion, "max per region must be >= 1");
        var byRegion = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < good.Count; i++)
        {
            var region = channels[good[i]].Region;
            if (!byRegion.TryGetValue(region, out var list)) byRegion[region] = list = [];
            list.Add(i);
        }
        var kept = new List<int>();
        foreach (var members in byRegion.Values)
        {
            var stepped = members.Where((_, k) => k % Step == 0).ToList();
            if (MaxPerRegion is { } max && stepped.Count > max)
            {
                // The centres of max equal parts of the region: both ends are left a half part in.
                for (int j = 0; j < max; j++) kept.Add(stepped[(int)((2L * j + 1) * stepped.Count / (2L * max))]);
            }
            else kept.AddRange(stepped);
        }
        kept.Sort();
        return kept;
    }
}
