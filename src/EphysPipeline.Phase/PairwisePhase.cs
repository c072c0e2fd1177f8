using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EphysPipeline.Core;
using EphysPipeline.Core.Blas;

namespace EphysPipeline.Phase;

/// <summary>
/// All-pairs phase synchrony of analytic signals, channels × channels row-major matrices.
/// PLV = |⟨u_a·conj(u_b)⟩| (u = z/|z|); wPLI = |⟨Im S⟩| / ⟨|Im S|⟩ with S = z_a·conj(z_b);
/// MeanPhaseDifference = arg⟨u_a·conj(u_b)⟩ (positive: a leads b). PLV and wPLI are symmetric,
/// the phase difference antisymmetric. Diagonal: PLV 1, wPLI NaN (undefined), phase difference 0.
/// wPLI is all NaN when the accumulator was created without it.
/// Rows and columns of bad channels are NaN; <see cref="Reasons"/> says why per channel.
/// </summary>
public sealed record PairwisePhaseResult(int Channels, long Samples, double[] Plv, double[] Wpli, double[] MeanPhaseDifference, string?[] Reasons)
{
    public double PlvAt(int a, int b) => Plv[a * Channels + b];
    public double WpliAt(int a, int b) => Wpli[a * Channels + b];
    public double PhaseDifferenceAt(int a, int b) => MeanPhaseDifference[a * Channels + b];
}

/// <summary>
/// Streaming accumulator for <see cref="PairwisePhaseResult"/>: append analytic-signal blocks of the samples to
/// use (non-rejected, away from filter edges). Σ u_a·conj(u_b) is a Hermitian product U·Uᴴ computed in fixed
/// channel tiles (zherk on the diagonal tiles, zgemm off it); Σ Im S and Σ|Im S| come from
/// <see cref="ImaginaryCrossSums"/>. Tiles and time blocks depend only on the channel count and the appended
/// blocks, never on <c>maxDegreeOfParallelism</c>, so results are bitwise identical for any thread count.
/// Memory: O(channels² + channels·blockCapacity).
/// </summary>
public sealed class PairwisePhaseAccumulator
{
    private readonly IBlasProvider _blas;
    private readonly int _padded;
    private readonly int _capacity;
    private readonly int _parallelism;
    private readonly bool[] _bad;
    private readonly string?[] _reasons;
    private readonly (int Row0, int Rows, int Col0, int Cols)[] _gemmTiles;
    private readonly (int First, int End)[] _kernelRows;
    private readonly int[] _workOrder;
    private readonly Complex[] _unit;     // channels × capacity (from the scratch)
    private readonly double[] _re;        // padded × PlaneStride(capacity) (from the scratch)
    private readonly double[] _im;
    private readonly Complex[] _unitSum;  // channels × channels, upper triangle
    private readonly double[] _imagSum;   // padded × padded, upper triangle
    private readonly double[] _absImagSum;
    private int _sliceLength;

    /// <param name="channels">Channel count of every appended block.</param>
    /// <param name="blas">Matrix products (OpenBlasProvider.Shared in production).</param>
    /// <param name="badChannels">Channels to exclude (NaN rows); empty for none.</param>
    /// <param name="blockCapacity">Samples processed per matrix update.</param>
    /// <param name="includeWpli">False skips wPLI (most of the work) when only PLV is wanted.</param>
    /// <param name="maxDegreeOfParallelism">Threads for one update; does not change any result bit.</param>
    /// <param name="scratch">Update buffers shared with accumulators that append at other times; null for its own.</param>
    public PairwisePhaseAccumulator(int channels, IBlasProvider blas, ReadOnlySpan<bool> badChannels = default, int blockCapacity = 4096,
        bool includeWpli = true, int maxDegreeOfParallelism = 1, PairwisePhaseScratch? scratch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (!badChannels.IsEmpty && badChannels.Length != channels)
            throw new ArgumentException($"bad-channel mask has {badChannels.Length} entries for {channels} channels");
        Channels = channels;
        IncludesWpli = includeWpli;
        _blas = blas;
        _capacity = blockCapacity;
        _parallelism = maxDegreeOfParallelism;
        _padded = Padded(channels);
        _bad = badChannels.IsEmpty ? new bool[channels] : badChannels.ToArray();
        _reasons = new string?[channels];
        for (int c = 0; c < channels; c++) if (_bad[c]) _reasons[c] = "channel marked bad";
        _gemmTiles = GemmTiles(channels);
        _kernelRows = KernelRowRanges(_padded / ImaginaryCrossSums.Tile);
        _workOrder = WorkOrder(_gemmTiles, _kernelRows, _padded / ImaginaryCrossSums.Tile, includeWpli);
        scratch ??= new PairwisePhaseScratch(channels, blockCapacity, includeWpli);
        if (scratch.Channels != channels || scratch.BlockCapacity != blockCapacity || (includeWpli && !scratch.IncludesWpli))
            throw new ArgumentException($"scratch for {scratch.Channels} channels × {scratch.BlockCapacity} samples (wPLI {scratch.IncludesWpli}) does not fit {channels} × {blockCapacity} (wPLI {includeWpli})",
                nameof(scratch));
        (_unit, _re, _im) = (scratch.Unit, scratch.Re, scratch.Im);
        _unitSum = new Complex[channels * channels];
        _imagSum = new double[includeWpli ? _padded * _padded : 0];
        _absImagSum = new double[includeWpli ? _padded * _padded : 0];
    }

    /// <summary>
    /// Starts over with no sample (the next epoch of a pass), keeping the buffers: sums that are new pages every epoch
    /// cost a page fault and a TLB flush per 4 KiB on their first read-add-write.
    /// </summary>
    public void Reset()
    {
        Array.Clear(_unitSum);
        Array.Clear(_imagSum);
        Array.Clear(_absImagSum);
        Samples = 0;
    }

    public int Channels { get; }

    public bool IncludesWpli { get; }

    /// <summary>Samples accumulated so far.</summary>
    public long Samples { get; private set; }

    /// <summary>Adds the block's samples (its rows are the channels).</summary>
    public void Append(AnalyticBlock block)
    {
        if (block.Channels != Channels) throw new ArgumentException($"block has {block.Channels} channels, expected {Channels}");
        for (int offset = 0; offset < block.Count; offset += _capacity)
            AppendSlice(block.Samples(offset, Math.Min(_capacity, block.Count - offset)));
    }

    /// <summary>Adds <paramref name="count"/> samples per channel of a channel-major complex block (copied into planes).</summary>
    public void Append(ReadOnlySpan<Complex> channelMajor, int count) => Append(AnalyticBlock.FromComplex(channelMajor, Channels, count));

    /// <summary>Same signature as <see cref="AnalyticBlockHandler"/>, so a stream whose trim is the band's own can feed the
    /// accumulator directly.</summary>
    public void OnAnalyticBlock(AnalyticBlock block, long firstSample, long runEnd) => Append(block);

    private void AppendSlice(AnalyticBlock slice)
    {
        int n = slice.Count;
        int stride = PlaneStride(n);
        // Channels are independent: unit phasors and planes are filled on the update's threads.
        WorkSplit.For(Channels, _parallelism, c =>
        {
            // A bad channel adds zeros: no phasor, no imaginary part.
            bool bad = _bad[c];
            var unit = _unit.AsSpan(c * n, n);
            if (bad) unit.Clear();
            else Normalise(slice.Real(c), slice.Imaginary(c), unit);
            if (!IncludesWpli) return;
            var re = _re.AsSpan(c * stride, n);
            var im = _im.AsSpan(c * stride, n);
            if (bad)
            {
                re.Clear();
                im.Clear();
            }
            else
            {
                slice.Real(c).CopyTo(re);
                slice.Imaginary(c).CopyTo(im);
            }
        });
        if (IncludesWpli)
        {
            _re.AsSpan(Channels * stride, (_padded - Channels) * stride).Clear();
            _im.AsSpan(Channels * stride, (_padded - Channels) * stride).Clear();
        }
        _sliceLength = n;
        WorkSplit.ForEachByWorker(_parallelism, _workOrder.Length, (_, k) => Work(_workOrder[k]));
        Samples += n;
    }

    private static void Normalise(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<Complex> unit)
    {
        int n = unit.Length, t = 0;
        if (Avx.IsSupported)
        {
            // Four samples per vector pair, each lane the scalar loop's own operations: re² + im², √, ÷; then interleaved.
            ref double x = ref MemoryMarshal.GetReference(re);
            ref double y = ref MemoryMarshal.GetReference(im);
            ref double to = ref Unsafe.As<Complex, double>(ref MemoryMarshal.GetReference(unit));
            for (; t <= n - 4; t += 4)
            {
                var a = Vector256.LoadUnsafe(ref x, (nuint)t);
                var b = Vector256.LoadUnsafe(ref y, (nuint)t);
                var magnitude = Avx.Sqrt(a * a + b * b);
                var positive = Vector256.GreaterThan(magnitude, Vector256<double>.Zero);
                var ur = positive & (a / magnitude);
                var ui = positive & (b / magnitude);
                var low = Avx.UnpackLow(ur, ui);    // samples t, t + 2
                var high = Avx.UnpackHigh(ur, ui);  // samples t + 1, t + 3
                Avx.Permute2x128(low, high, 0x20).StoreUnsafe(ref to, (nuint)(2 * t));
                Avx.Permute2x128(low, high, 0x31).StoreUnsafe(ref to, (nuint)(2 * t + 4));
            }
        }
        for (; t < n; t++)
        {
            double magnitude = Math.Sqrt(re[t] * re[t] + im[t] * im[t]);
            // A zero sample has no phase: it counts as a sample but adds no phasor.
            unit[t] = magnitude > 0 ? new Complex(re[t] / magnitude, im[t] / magnitude) : Complex.Zero;
        }
    }

    /// <summary>
    /// Work items largest first (pair-samples cost about the same in a BLAS tile and in the wPLI kernel), so that
    /// threads taking the next item finish together: Parallel.For's range chunks left one thread idle for 18 % of the
    /// update at 384 channels.
    /// </summary>
    private static int[] WorkOrder((int Row0, int Rows, int Col0, int Cols)[] gemmTiles, (int First, int End)[] kernelRows, int tileRows,
        bool includeWpli)
    {
        var cost = new List<(long Cost, int Item)>();
        for (int i = 0; i < gemmTiles.Length; i++)
        {
            var (row0, rows, col0, cols) = gemmTiles[i];
            cost.Add((row0 == col0 ? (long)rows * (rows + 1) / 2 : (long)rows * cols, i));
        }
        if (includeWpli)
        {
            const int pairsPerTile = ImaginaryCrossSums.Tile * ImaginaryCrossSums.Tile;
            for (int g = 0; g < kernelRows.Length; g++)
            {
                var (first, end) = kernelRows[g];
                long tiles = 0;
                for (int row = first; row < end; row++) tiles += tileRows - row;
                cost.Add((tiles * pairsPerTile, gemmTiles.Length + g));
            }
        }
        return [.. cost.OrderByDescending(c => c.Cost).ThenBy(c => c.Item).Select(c => c.Item)];
    }

    /// <summary>Work item i: a tile of U·Uᴴ, or (after them) a range of kernel tile rows.</summary>
    private void Work(int i)
    {
        int n = _sliceLength;
        int ch = Channels;
        if (i < _gemmTiles.Length)
        {
            var (row0, rows, col0, cols) = _gemmTiles[i];
            var c = _unitSum.AsSpan(row0 * ch + col0);
            if (row0 == col0)
                _blas.ZherkUpper(rows, n, 1.0, _unit.AsSpan(row0 * n, rows * n), n, 1.0, c, ch);
            else
                _blas.Zgemm(BlasOp.None, BlasOp.ConjugateTranspose, rows, cols, n, Complex.One,
                    _unit.AsSpan(row0 * n, rows * n), n, _unit.AsSpan(col0 * n, cols * n), n, Complex.One, c, ch);
            return;
        }
        var (first, end) = _kernelRows[i - _gemmTiles.Length];
        int stride = PlaneStride(n);
        ImaginaryCrossSums.Accumulate(_re.AsSpan(0, _padded * stride), _im.AsSpan(0, _padded * stride), _padded, n, stride,
            _imagSum, _absImagSum, first, end);
    }

    /// <summary>
    /// Row stride of the wPLI planes for n samples: a multiple of 4 KiB plus one cache line. Rows a multiple of 4 KiB apart
    /// (n = 4096 is 32 KiB) fall into the same L1 sets, and the kernel's twelve row streams then evicted each other: the
    /// offset made the kernel 1.7× faster at 384 channels. Layout only; no sum changes.
    /// </summary>
    internal static int PlaneStride(int n) => (n + 511) / 512 * 512 + 8;

    /// <summary>Channels rounded up to whole wPLI kernel tiles.</summary>
    internal static int Padded(int channels) => (channels + ImaginaryCrossSums.Tile - 1) / ImaginaryCrossSums.Tile * ImaginaryCrossSums.Tile;

    /// <summary>Fixed square tiles of the upper triangle, sized by the channel count only.</summary>
    private static (int, int, int, int)[] GemmTiles(int channels)
    {
        int size = channels <= 32 ? channels : channels <= 128 ? 32 : 64;
        var tiles = new List<(int, int, int, int)>();
        for (int r = 0; r < channels; r += size)
            for (int c = r; c < channels; c += size)
                tiles.Add((r, Math.Min(size, channels - r), c, Math.Min(size, channels - c)));
        return [.. tiles];
    }

    /// <summary>Kernel tile rows in groups of roughly equal pair count (row i has tileRows − i tiles).</summary>
    private static (int, int)[] KernelRowRanges(int tileRows)
    {
        const int Groups = 8;
        long total = (long)tileRows * (tileRows + 1) / 2;
        var ranges = new List<(int, int)>();
        int start = 0;
        long done = 0;
        for (int row = 0; row < tileRows; row++)
        {
            done += tileRows - row;
            if (done * Groups >= total * (ranges.Count + 1) || row == tileRows - 1)
            {
                ranges.Add((start, row + 1));
                start = row + 1;
            }
        }
        return [.. ranges];
    }

    public PairwisePhaseResult Result()
    {
        int ch = Channels;
        var plv = new double[ch * ch];
        var wpli = new double[ch * ch];
        var phase = new double[ch * ch];
        var reasons = (string?[])_reasons.Clone();
        int good = _bad.Count(b => !b);
        string? global = Samples == 0 ? "no samples accumulated"
            : good < 2 ? "fewer than two good channels" : null;
        for (int a = 0; a < ch; a++)
        {
            if (global is not null) reasons[a] ??= global;
            for (int b = a; b < ch; b++)
            {
                if (global is not null || _bad[a] || _bad[b])
                {
                    plv[a * ch + b] = plv[b * ch + a] = double.NaN;
                    wpli[a * ch + b] = wpli[b * ch + a] = double.NaN;
                    phase[a * ch + b] = phase[b * ch + a] = double.NaN;
                    continue;
                }
                var unit = _unitSum[a * ch + b];
                double value = Complex.Abs(unit) / Samples;
                plv[a * ch + b] = plv[b * ch + a] = value;
                double angle = a == b ? 0 : Math.Atan2(unit.Imaginary, unit.Real);
                phase[a * ch + b] = angle;
                phase[b * ch + a] = -angle;
                // 0/0 (a channel with itself, or no imaginary component at all) is undefined, not zero.
                double denominator = IncludesWpli && a != b ? _absImagSum[a * _padded + b] : 0;
                double w = denominator == 0 ? double.NaN : Math.Abs(_imagSum[a * _padded + b]) / denominator;
                wpli[a * ch + b] = wpli[b * ch + a] = w;
            }
        }
        return new PairwisePhaseResult(ch, Samples, plv, wpli, phase, reasons);
    }
}

/// <summary>
/// The update buffers of <see cref="PairwisePhaseAccumulator"/>: unit phasors and the wPLI planes (≈ 53 MB at 384
/// channels × 4096 samples). Accumulators that append one after another, such as one per band fed from one analytic
/// block, can share one; they must not append at the same time. Sharing changes no result bit.
/// </summary>
public sealed class PairwisePhaseScratch
{
    public PairwisePhaseScratch(int channels, int blockCapacity = 4096, bool includeWpli = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCapacity, 1);
        Channels = channels;
        BlockCapacity = blockCapacity;
        IncludesWpli = includeWpli;
        Unit = new Complex[channels * blockCapacity];
        int planeLength = includeWpli ? PairwisePhaseAccumulator.Padded(channels) * PairwisePhaseAccumulator.PlaneStride(blockCapacity) : 0;
        Re = new double[planeLength];
        Im = new double[planeLength];
    }

    public int Channels { get; }
    public int BlockCapacity { get; }
    public bool IncludesWpli { get; }
    internal Complex[] Unit { get; }
    internal double[] Re { get; }
    internal double[] Im { get; }
}
