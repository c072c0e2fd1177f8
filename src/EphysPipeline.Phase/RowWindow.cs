namespace EphysPipeline.Phase;

/// <summary>Checks a window [offset, offset + count) of channel rows laid out <c>stride</c> apart.</summary>
internal static class RowWindow
{
    public static void Check(ReadOnlySpan<double> rows, int channels, int stride, int offset, int count)
    {
        if (count < 0 || offset < 0 || (long)offset + count > stride)
            throw new ArgumentOutOfRangeException(nameof(offset), $"samples [{offset}, {(long)offset + count}) outside rows of {stride}");
        if (channels > 0 && rows.Length < (long)(channels - 1) * stride + offset + count)
            throw new ArgumentException($"rows hold {rows.Length} values, {channels} rows of {stride} needed");
    }
}
