namespace EphysPipeline.Entropy;

/// <summary>Per-thread scratch buffers of the window computations, grown on demand and reused.</summary>
internal sealed class EntropyWorkspace
{
    [ThreadStatic] private static EntropyWorkspace? _current;

    public static EntropyWorkspace Current => _current ??= new EntropyWorkspace();

    public double[] Window = [];
    public double[] Scratch = [];
    public ulong[] Bits = [];
    public int[] Automaton = [];
    public int[] Histogram = new int[PermutationEntropy.PatternCount(PermutationEntropy.MaxOrder)];
    public EntropyValue[] Scales = [];

    /// <param name="samples">Longest window.</param>
    /// <param name="scales">Multiscale entropy scales.</param>
    /// <param name="scratch">Scratch values the metrics need (at least <paramref name="samples"/>; sample and multiscale entropy need more).</param>
    public void Ensure(int samples, int scales, int scratch)
    {
        if (Scratch.Length < Math.Max(samples, scratch)) Scratch = new double[Math.Max(samples, scratch)];
        if (Window.Length < samples)
        {
            Window = new double[samples];
            Bits = new ulong[MedianSplit.WordCount(samples)];
            Automaton = new int[LempelZiv.AutomatonSize(samples)];
        }
        if (Scales.Length < scales) Scales = new EntropyValue[scales];
    }
}
