using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EphysPipeline.Entropy;

/// <summary>
/// Sample entropy's pair counts (<see cref="SampleEntropy.CountMatches(ReadOnlySpan{double}, int, double, Span{double})"/>)
/// by sorted neighbours instead of all n²/2 pairs.
/// </summary>
/// <remarks>
/// <para>1. Sort the n samples; p = position of a sample in that order (equal values get neighbouring positions).</para>
/// <para>2. For every position q, the samples a with |fl(a − v_q)| &lt; r are exactly the positions
/// lower[q] ≤ p &lt; hi[q]: fl(a − c) is monotone in a, so hi[q] = first p with fl(v_p − v_q) ≥ r, and since
/// fl(c − a) = −fl(a − c), p &lt; lower[q] ⇔ hi[p] ≤ q. These are antropy's own floating-point decisions
/// (abs(a − c) ≥ r), not a re-derivation of them.</para>
/// <para>3. Templates (starts i &lt; n − m) are sorted by the position of x[i]; template s's partners on the first
/// coordinate are the following templates up to end[s] (one contiguous run, each unordered pair visited once). For
/// coordinates l = 1..m, rows hold the positions of x[i + l] in template order (16-bit when n ≤ 65 535), and
/// "within r" is one unsigned compare (p − lower) &lt; (hi − lower): 32 pairs per AVX-512 compare, popcounted.</para>
/// <para>On LFP-like data about 11 % of pairs are first-coordinate neighbours at r = 0.2·std, so there are ≈ 9×
/// fewer pair tests than in an all-pairs sweep, each 4× wider; the sort is two O(n) radix passes on a linear map of
/// the values plus an insertion pass that makes the order exact (a comparison sort if that pass would be long).</para>
/// </remarks>
internal static class TemplateMatchCounter
{
    /// <summary>Readable slack after every row: one vector of the widest path (the scalar path tests 64 lanes).</summary>
    private const int RowPad = 64;
    private const int ValuePad = 8;

    /// <summary>Doubles of scratch that <see cref="Count"/> needs for n samples and order m.</summary>
    public static int ScratchLength(int n, int m)
    {
        int count = n - m;
        long rowBytes = (long)m * (count + RowPad) * (n <= ushort.MaxValue ? sizeof(ushort) : sizeof(uint));
        return checked((int)(3L * n + ValuePad + IntDoubles(n, count) + (rowBytes + 7) / 8));
    }

    /// <summary>Doubles holding the int arrays lower (n + 1), before (n + 1) and end (count).</summary>
    private static int IntDoubles(int n, int count) => (2 * n + 2 + count + 1) / 2;

    /// <summary>(A, B) over template pairs i &lt; j ≤ n − m − 1; x finite, n ≥ m + 2, r &gt; 0.</summary>
    public static (long A, long B) Count(ReadOnlySpan<double> x, int m, double r, Span<double> scratch)
    {
        int n = x.Length;
        int count = n - m;
        var packed = MemoryMarshal.Cast<double, ulong>(scratch[..n]);
        var radix = scratch.Slice(n, n);
        var values = scratch.Slice(2 * n, n + ValuePad);
        var ints = MemoryMarshal.Cast<double, int>(scratch[(3 * n + ValuePad)..]);
        var hi = MemoryMarshal.Cast<double, int>(radix)[..n];          // the radix buffer is free once sorted
        var pos = MemoryMarshal.Cast<double, int>(radix).Slice(n, n);
        var lower = ints[..(n + 1)];
        var before = ints.Slice(n + 1, n + 1);
        var end = ints.Slice(2 * n + 2, count);
        var rowBytes = MemoryMarshal.AsBytes(scratch[(3 * n + ValuePad + IntDoubles(n, count))..]);

        Sort(x, packed, MemoryMarshal.Cast<double, ulong>(radix), values);
        UpperBounds(values, n, r, hi);
        // lower[q] = #{p : hi[p] ≤ q}; the samples within r of v_q are positions lower[q] ≤ p < hi[q].
        lower.Clear();
        for (int p = 0; p < n; p++) lower[hi[p]]++;
        for (int q = 0, run = 0; q < n; q++)
        {
            run += lower[q];
            lower[q] = run;
        }
        int s = 0;
        for (int p = 0; p < n; p++)
        {
            int i = (int)(uint)packed[p];
            pos[i] = p;
            before[p] = s;
            if (i < count) s++;
        }
        before[n] = s;
        return n <= ushort.MaxValue
            ? CountRows<ushort>(packed, pos, hi, lower, before, end, MemoryMarshal.Cast<byte, ushort>(rowBytes), count, m)
            : CountRows<uint>(packed, pos, hi, lower, before, end, MemoryMarshal.Cast<byte, uint>(rowBytes), count, m);
    }

    /// <summary>
    /// Low 32 bits of packed[p] = index of the p-th smallest sample; values[p] = that sample, +∞ after n.
    /// Two LSD radix passes on ⌊(x − min)·scale⌋ (monotone in x, so only ties of that key can be out of order),
    /// then an insertion pass on the values; if that pass would move more than a few elements per sample (heavy
    /// ties of the key, e.g. one huge outlier), a comparison sort instead.
    /// </summary>
    private static void Sort(ReadOnlySpan<double> x, Span<ulong> packed, Span<ulong> radix, Span<double> values)
    {
        int n = x.Length;
        int digit = n < 4096 ? 8 : 11;
        int keyBits = 2 * digit;
        double min = TensorPrimitives.Min(x), max = TensorPrimitives.Max(x);
        double scale = ((1 << keyBits) - 1) / (max - min);
        if (!double.IsFinite(scale)) scale = 0;                      // constant window, or a span beyond double range
        double top = (1 << keyBits) - 1;
        for (int i = 0; i < n; i++)
            packed[i] = (ulong)Math.Min((x[i] - min) * scale, top) << 32 | (uint)i;
        RadixPass(packed, radix, 32, digit);
        RadixPass(radix, packed, 32 + digit, digit);

        for (int p = 0; p < n; p++) values[p] = x[(int)(uint)packed[p]];
        long budget = 8L * n + 64;
        for (int p = 1; p < n; p++)
        {
            double v = values[p];
            if (!(values[p - 1] > v)) continue;
            ulong item = packed[p];
            int q = p;
            do
            {
                values[q] = values[q - 1];
                packed[q] = packed[q - 1];
                q--;
            } while (q > 0 && values[q - 1] > v);
            values[q] = v;
            packed[q] = item;
            budget -= p - q;
            if (budget < 0)
            {
                for (int i = 0; i < n; i++)
                {
                    values[i] = x[i];
                    packed[i] = (uint)i;
                }
                values[..n].Sort(packed);
                break;
            }
        }
        values[n..].Fill(double.PositiveInfinity);
    }

    /// <summary>Stable counting-sort pass of <paramref name="from"/> into <paramref name="to"/> on bits [shift, shift + digit).</summary>
    private static void RadixPass(Span<ulong> from, Span<ulong> to, int shift, int digit)
    {
        Span<int> offsets = stackalloc int[1 << digit];
        offsets.Clear();
        int mask = (1 << digit) - 1;
        foreach (ulong v in from) offsets[(int)(v >> shift) & mask]++;
        for (int b = 0, sum = 0; b < offsets.Length; b++)
        {
            int c = offsets[b];
            offsets[b] = sum;
            sum += c;
        }
        foreach (ulong v in from) to[offsets[(int)(v >> shift) & mask]++] = v;
    }

    /// <summary>
    /// hi[q] = first p with fl(values[p] − values[q]) ≥ r; nondecreasing in q, so each q gallops on from the previous
    /// answer. Four independent gallops over the four quarters of q keep the load–compare latency chains overlapped.
    /// </summary>
    private static void UpperBounds(Span<double> values, int n, double r, Span<int> hi)
    {
        ref double v0 = ref MemoryMarshal.GetReference(values);
        int chunk = (n + 3) / 4;
        int q1 = Math.Min(chunk, n), q2 = Math.Min(2 * chunk, n), q3 = Math.Min(3 * chunk, n);
        int h0 = First(values, n, 0, r), h1 = First(values, n, q1, r), h2 = First(values, n, q2, r), h3 = First(values, n, q3, r);
        int tail = n - q3;
        for (int j = 0; j < tail; j++)
        {
            hi[j] = h0 = Gallop(ref v0, h0, values[j], r);
            hi[q1 + j] = h1 = Gallop(ref v0, h1, values[q1 + j], r);
            hi[q2 + j] = h2 = Gallop(ref v0, h2, values[q2 + j], r);
            hi[q3 + j] = h3 = Gallop(ref v0, h3, values[q3 + j], r);
        }
        for (int j = tail; j < chunk; j++)
        {
            if (j < q1) hi[j] = h0 = Gallop(ref v0, h0, values[j], r);
            if (q1 + j < q2) hi[q1 + j] = h1 = Gallop(ref v0, h1, values[q1 + j], r);
            if (q2 + j < q3) hi[q2 + j] = h2 = Gallop(ref v0, h2, values[q2 + j], r);
        }
    }

    /// <summary>Binary search for hi[q] (values end in +∞, so the answer is ≤ n).</summary>
    private static int First(Span<double> values, int n, int q, double r)
    {
        if (q >= n) return n;
        double c = values[q];
        int lo = q, hi = n;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (values[mid] - c < r) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>First p ≥ h with fl(values[p] − c) ≥ r; the lanes that pass form a prefix, so their count is the step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Gallop(ref double v0, int h, double c, double r)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var cv = Vector256.Create(c);
            var rv = Vector256.Create(r);
            while (true)
            {
                int step = BitOperations.PopCount(Vector256.LessThan(Vector256.LoadUnsafe(ref v0, (nuint)h) - cv, rv).ExtractMostSignificantBits());
                h += step;
                if (step < Vector256<double>.Count) return h;
            }
        }
        while (Unsafe.Add(ref v0, h) - c < r) h++;
        return h;
    }

    /// <summary>Builds the template rows (positions of x[i + l], l = 1..m, in first-coordinate order) and counts.</summary>
    private static (long A, long B) CountRows<T>(Span<ulong> packed, Span<int> pos, Span<int> hi, Span<int> lower,
        Span<int> before, Span<int> end, Span<T> rowSpace, int count, int m)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int stride = count + RowPad;
        var rows = rowSpace[..(m * stride)];
        int n = pos.Length;
        for (int p = 0, s = 0; p < n; p++)
        {
            int i = (int)(uint)packed[p];
            if (i >= count) continue;
            end[s] = before[hi[p]];
            for (int l = 1; l <= m; l++) rows[(l - 1) * stride + s] = T.CreateTruncating(pos[i + l]);
            s++;
        }
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            return Sweep<RangeTest512<T>, T>(rows, stride, m, end, hi, lower);
        if (m == 2 && typeof(T) == typeof(ushort) && Avx2.IsSupported)
            return SweepOrder2Avx2(MemoryMarshal.Cast<T, ushort>(rows), stride, end, hi, lower);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            return Sweep<RangeTest256<T>, T>(rows, stride, m, end, hi, lower);
        return Sweep<RangeTestScalar<T>, T>(rows, stride, m, end, hi, lower);
    }

    private static (long A, long B) Sweep<TTest, T>(Span<T> rows, int stride, int m, Span<int> end, Span<int> hi, Span<int> lower)
        where TTest : unmanaged, IRangeTest<TTest, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T> => m switch
    {
        1 => SweepShort<TTest, T, Order1>(rows, stride, end, hi, lower),
        2 => SweepShort<TTest, T, Order2>(rows, stride, end, hi, lower),
        3 => SweepShort<TTest, T, Order3>(rows, stride, end, hi, lower),
        4 => SweepShort<TTest, T, Order4>(rows, stride, end, hi, lower),
        _ => SweepLong<TTest, T>(rows, stride, m, end, hi, lower),
    };

    /// <summary>
    /// For every template s, the templates s+1..End[s]−1 (first-coordinate neighbours) that are also within r on
    /// coordinates 1..m−1 count for B, and of those the ones within r on coordinate m for A. m ≤ 4 is a type
    /// parameter, so the tests stay in registers and the coordinate loop is unrolled at JIT time.
    /// </summary>
    private static (long A, long B) SweepShort<TTest, T, TOrder>(Span<T> rows, int stride, Span<int> end, Span<int> hi, Span<int> lower)
        where TTest : unmanaged, IRangeTest<TTest, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
        where TOrder : IOrder
    {
        int lanes = TTest.Lanes;
        ulong allLanes = lanes == 64 ? ulong.MaxValue : (1UL << lanes) - 1;
        ref T row1 = ref MemoryMarshal.GetReference(rows);
        // Rows past m alias row 1 (never read) so that no reference points beyond the rows.
        ref T row2 = ref TOrder.M >= 2 ? ref Unsafe.Add(ref row1, stride) : ref row1;
        ref T row3 = ref TOrder.M >= 3 ? ref Unsafe.Add(ref row1, 2 * stride) : ref row1;
        ref T row4 = ref TOrder.M >= 4 ? ref Unsafe.Add(ref row1, 3 * stride) : ref row1;
        long a = 0, b = 0;
        for (int s = 0; s < end.Length; s++)
        {
            var test1 = Within<TTest, T>(Unsafe.Add(ref row1, s), hi, lower);
            var test2 = TOrder.M >= 2 ? Within<TTest, T>(Unsafe.Add(ref row2, s), hi, lower) : default;
            var test3 = TOrder.M >= 3 ? Within<TTest, T>(Unsafe.Add(ref row3, s), hi, lower) : default;
            var test4 = TOrder.M >= 4 ? Within<TTest, T>(Unsafe.Add(ref row4, s), hi, lower) : default;
            int stop = end[s];
            int t = s + 1, lastFull = stop - lanes;
            int runA = 0, runB = 0;
            for (; t <= lastFull; t += lanes)
            {
                var (matchB, matchA) = Match<TTest, T, TOrder>(allLanes, t, in test1, in test2, in test3, in test4, ref row1, ref row2, ref row3, ref row4);
                runB += BitOperations.PopCount(matchB);
                runA += BitOperations.PopCount(matchA);
            }
            if (t < stop)
            {
                var (matchB, matchA) = Match<TTest, T, TOrder>((1UL << (stop - t)) - 1, t, in test1, in test2, in test3, in test4, ref row1, ref row2, ref row3, ref row4);
                runB += BitOperations.PopCount(matchB);
                runA += BitOperations.PopCount(matchA);
            }
            a += runA;
            b += runB;
        }
        return (a, b);
    }

    /// <summary>B and A match bits of the candidates at t.. (only the bits of <paramref name="candidates"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong B, ulong A) Match<TTest, T, TOrder>(ulong candidates, int t, in TTest test1, in TTest test2, in TTest test3, in TTest test4,
        ref T row1, ref T row2, ref T row3, ref T row4)
        where TTest : unmanaged, IRangeTest<TTest, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
        where TOrder : IOrder
    {
        nuint at = (nuint)t;
        ulong w1 = test1.Test(ref row1, at) & candidates;
        if (TOrder.M == 1) return (candidates, w1);
        ulong w2 = w1 & test2.Test(ref row2, at);
        if (TOrder.M == 2) return (w1, w2);
        ulong w3 = w2 & test3.Test(ref row3, at);
        if (TOrder.M == 3) return (w2, w3);
        return (w3, w3 & test4.Test(ref row4, at));
    }

    /// <summary>
    /// <see cref="SweepShort"/> for m = 2 with AVX2 (no mask registers): the within-r masks are counted in 16-bit lanes
    /// (−1 per match) and summed once per template, instead of a mask extraction and a popcount per vector. The
    /// unsigned range test is a signed compare on positions offset by 2¹⁵.
    /// </summary>
    private static (long A, long B) SweepOrder2Avx2(Span<ushort> rows, int stride, Span<int> end, Span<int> hi, Span<int> lower)
    {
        ref short row1 = ref Unsafe.As<ushort, short>(ref MemoryMarshal.GetReference(rows));
        ref short row2 = ref Unsafe.Add(ref row1, stride);
        var laneIndex = Vector256.Create((short)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var ones = Vector256.Create((short)1);
        long a = 0, b = 0;
        for (int s = 0; s < end.Length; s++)
        {
            int t = s + 1, stop = end[s];
            if (t >= stop) continue;
            var (shift1, width1) = Biased(Unsafe.Add(ref row1, s), hi, lower);
            var (shift2, width2) = Biased(Unsafe.Add(ref row2, s), hi, lower);
            // At most ⌈65 535 / 16⌉ matches per lane: no 16-bit overflow.
            var countB = Vector256<short>.Zero;
            var countA = Vector256<short>.Zero;
            for (; t <= stop - 16; t += 16)
            {
                var in1 = Vector256.LessThan(Vector256.LoadUnsafe(ref row1, (nuint)t) + shift1, width1);
                var in2 = Vector256.LessThan(Vector256.LoadUnsafe(ref row2, (nuint)t) + shift2, width2);
                countB -= in1;
                countA -= in1 & in2;
            }
            if (t < stop)
            {
                var candidates = Vector256.LessThan(laneIndex, Vector256.Create((short)(stop - t)));
                var in1 = Vector256.LessThan(Vector256.LoadUnsafe(ref row1, (nuint)t) + shift1, width1) & candidates;
                var in2 = Vector256.LessThan(Vector256.LoadUnsafe(ref row2, (nuint)t) + shift2, width2);
                countB -= in1;
                countA -= in1 & in2;
            }
            b += Vector256.Sum(Avx2.MultiplyAddAdjacent(countB, ones));
            a += Vector256.Sum(Avx2.MultiplyAddAdjacent(countA, ones));
        }
        return (a, b);
    }

    /// <summary>lower[q] ≤ p &lt; hi[q] as the signed test (p + shift) &lt; width on 16 bits: (p − lower) ⊕ 2¹⁵ &lt; (hi − lower) ⊕ 2¹⁵.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<short> Shift, Vector256<short> Width) Biased(short position, Span<int> hi, Span<int> lower)
    {
        int q = (ushort)position;
        int from = lower[q];
        return (Vector256.Create(unchecked((short)(0x8000 - from))), Vector256.Create(unchecked((short)(hi[q] - from - 0x8000))));
    }

    /// <summary><see cref="SweepShort"/> for any m (m &gt; 4 in practice), the tests in a stack array.</summary>
    private static (long A, long B) SweepLong<TTest, T>(Span<T> rows, int stride, int m, Span<int> end, Span<int> hi, Span<int> lower)
        where TTest : unmanaged, IRangeTest<TTest, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int lanes = TTest.Lanes;
        ulong allLanes = lanes == 64 ? ulong.MaxValue : (1UL << lanes) - 1;
        ref T row0 = ref MemoryMarshal.GetReference(rows);
        Span<TTest> tests = stackalloc TTest[m];
        long a = 0, b = 0;
        for (int s = 0; s < end.Length; s++)
        {
            for (int l = 0; l < m; l++) tests[l] = Within<TTest, T>(Unsafe.Add(ref row0, l * stride + s), hi, lower);
            int stop = end[s];
            for (int t = s + 1; t < stop; t += lanes)
            {
                ulong w = stop - t >= lanes ? allLanes : (1UL << (stop - t)) - 1;
                for (int l = 0; l < m - 1 && w != 0; l++) w &= tests[l].Test(ref Unsafe.Add(ref row0, l * stride), (nuint)t);
                b += BitOperations.PopCount(w);
                a += BitOperations.PopCount(w & tests[m - 1].Test(ref Unsafe.Add(ref row0, (m - 1) * stride), (nuint)t));
            }
        }
        return (a, b);
    }

    /// <summary>The test "within r of the sample at position q": lower[q] ≤ p &lt; hi[q].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TTest Within<TTest, T>(T position, Span<int> hi, Span<int> lower)
        where TTest : unmanaged, IRangeTest<TTest, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int q = int.CreateTruncating(position);
        int from = lower[q];
        return TTest.Create(T.CreateTruncating(from), T.CreateTruncating(hi[q] - from));
    }

    private interface IOrder
    {
        static abstract int M { get; }
    }

    private readonly struct Order1 : IOrder { public static int M => 1; }
    private readonly struct Order2 : IOrder { public static int M => 2; }
    private readonly struct Order3 : IOrder { public static int M => 3; }
    private readonly struct Order4 : IOrder { public static int M => 4; }

    /// <summary>Match bits of <see cref="Lanes"/> consecutive row entries: bit k set when base ≤ row[at + k] &lt; base + width.</summary>
    private interface IRangeTest<TSelf, T> where TSelf : unmanaged, IRangeTest<TSelf, T>
    {
        static abstract int Lanes { get; }
        static abstract TSelf Create(T lower, T width);
        ulong Test(ref T row, nuint at);
    }

    // (row + (−lower)) rather than (row − lower): the add takes the row load as its memory operand.
    private readonly struct RangeTest512<T>(Vector512<T> minusLower, Vector512<T> width) : IRangeTest<RangeTest512<T>, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        public static int Lanes => Vector512<T>.Count;
        public static RangeTest512<T> Create(T lower, T width) => new(Vector512.Create(T.Zero - lower), Vector512.Create(width));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Test(ref T row, nuint at) => Vector512.LessThan(minusLower + Vector512.LoadUnsafe(ref row, at), width).ExtractMostSignificantBits();
    }

    private readonly struct RangeTest256<T>(Vector256<T> minusLower, Vector256<T> width) : IRangeTest<RangeTest256<T>, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        public static int Lanes => Vector256<T>.Count;
        public static RangeTest256<T> Create(T lower, T width) => new(Vector256.Create(T.Zero - lower), Vector256.Create(width));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Test(ref T row, nuint at) => Vector256.LessThan(minusLower + Vector256.LoadUnsafe(ref row, at), width).ExtractMostSignificantBits();
    }

    private readonly struct RangeTestScalar<T>(T lower, T width) : IRangeTest<RangeTestScalar<T>, T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        public static int Lanes => 64;
        public static RangeTestScalar<T> Create(T lower, T width) => new(lower, width);

        public ulong Test(ref T row, nuint at)
        {
            ulong bits = 0;
            for (int k = 0; k < 64; k++)
                if (Unsafe.Add(ref row, (nint)at + k) - lower < width) bits |= 1UL << k;
            return bits;
        }
    }
}
