using System.Text.RegularExpressions;

namespace EphysPipeline.Study.Manifest;

/// <summary>A coarser region: the electrode locations it stands for (exact names, or patterns with '*' and '?').</summary>
public sealed record RegionGroup(string Name, IReadOnlyList<string> Locations)
{
    private readonly Regex[] _patterns = Locations.Select(Glob.ToRegex).ToArray();

    /// <summary>True when <paramref name="location"/> is one of the group's (case-sensitive, as CCF acronyms are).</summary>
    public bool Matches(string location) => _patterns.Any(p => p.IsMatch(location));

    public bool Equals(RegionGroup? other) => other is not null && Name == other.Name && Locations.SequenceEqual(other.Locations);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

/// <summary>
/// The manifest's region_groups: and channels_per_region: — electrode locations (e.g. CCF acronyms) mapped to
/// coarser groups, and every step-th / at most max good channels per region.
/// </summary>
public sealed record RegionSelection(IReadOnlyList<RegionGroup> Groups, int Step, int? MaxPerRegion)
{
    public static RegionSelection None { get; } = new([], 1, null);

    /// <summary>True when it changes nothing.</summary>
    public bool IsNone => Groups.Count == 0 && Step == 1 && MaxPerRegion is null;

    /// <summary>The group <paramref name="location"/> belongs to, the location itself when none; null with the two
    /// groups' names in <paramref name="conflict"/> when it matches more than one.</summary>
    public string? GroupOf(string location, out (string A, string B)? conflict)
    {
        conflict = null;
        var matching = Groups.Where(g => g.Matches(location)).Select(g => g.Name).Distinct(StringComparer.Ordinal).Take(2).ToList();
        if (matching.Count == 2)
        {
            conflict = (matching[0], matching[1]);
            return null;
        }
        return matching.Count == 1 ? matching[0] : location;
    }

    public bool Equals(RegionSelection? other) =>
        other is not null && Groups.SequenceEqual(other.Groups) && Step == other.Step && MaxPerRegion == other.MaxPerRegion;

    public override int GetHashCode() => HashCode.Combine(Groups.Count, Step, MaxPerRegion);
}
