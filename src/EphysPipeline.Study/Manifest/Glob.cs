using System.Text.RegularExpressions;

namespace EphysPipeline.Study.Manifest;

/// <summary>Manifest patterns: '*' any run of characters, '?' one character, everything else literal and case-sensitive.</summary>
internal static class Glob
{
    public static bool IsPattern(string text) => text.AsSpan().IndexOfAny('*', '?') >= 0;

    public static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
}
