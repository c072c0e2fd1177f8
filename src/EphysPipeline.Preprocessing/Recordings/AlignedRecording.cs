using System.Globalization;
using EphysPipeline.Core;

namespace EphysPipeline.Preprocessing.Recordings;

/// <summary>
/// Several series of one session (one per probe, possibly from several files) as one recording: the lowest rate of
/// them all (a faster series is decimated by its integer ratio through <see cref="DecimatedRecording"/>, the same
/// anti-alias filter as scipy's resample_poly), the time span every series covers, and the channels side by side
/// in probe order. Sample k of the result is sample k + offset of each series, the offset rounded from the start
/// times, so the probes agree to within half a sample.
/// </summary>
public sealed class AlignedRecording : IRecording
{
    /// <summary>A named series of the session.</summary>
    public sealed record Part(string Probe, IRecording Recording);

    private readonly IRecording[] _parts;
    private readonly long[] _offsets;
    private readonly int[] _partOf;
    private readonly int[] _local;
    private double[] _scratch = [];
    private int[] _request = [];

    private AlignedRecording(IRecording[] parts, long[] offsets, double rate, long samples, double start, IReadOnlyList<string> probes)
    {
        _parts = parts;
        _offsets = offsets;
        SampleRate = rate;
        SampleCount = samples;
        StartTime = start;
        var channels = new List<ChannelInfo>();
        var probeOf = new List<string>();
        var partOf = new List<int>();
        var local = new List<int>();
        for (int p = 0; p < parts.Length; p++)
        {
            for (int c = 0; c < parts[p].Channels.Count; c++)
            {
                var info = parts[p].Channels[c];
                channels.Add(info with { Index = channels.Count });
                probeOf.Add(probes[p]);
                partOf.Add(p);
                local.Add(c);
            }
        }
        Channels = channels;
        ChannelProbes = probeOf;
        _partOf = [.. partOf];
        _local = [.. local];
        Source = string.Join(" + ", parts.Select(x => x.Source));
    }

    /// <summary>
    /// Aligns <paramref name="parts"/> (it takes ownership: they are disposed with the result, or at once when
    /// they cannot be aligned). What was done to the series (decimation, start rounding, clock drift) goes to
    /// <paramref name="note"/>.
    /// </summary>
    /// <exception cref="EphysInputException">Rates that are not integer multiples of each other (clocks that drift
    /// more than one sample over the shared span), series that do not overlap, an electrode id on two probes.</exception>
    public static AlignedRecording Create(IReadOnlyList<Part> parts, Action<string> note)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts.Count, 1);
        var owned = parts.Select(p => p.Recording).ToArray();
        try
        {
            return Align(parts, owned, note);
        }
        catch
        {
            foreach (var r in owned) r.Dispose();
            throw;
        }
    }

    private static AlignedRecording Align(IReadOnlyList<Part> parts, IRecording[] owned, Action<string> note)
    {
        var inv = CultureInfo.InvariantCulture;
        double rate = parts.Min(p => p.Recording.SampleRate);
        var ids = new Dictionary<long, string>();
        foreach (var part in parts)
            foreach (var c in part.Recording.Channels)
                if (!ids.TryAdd(c.ElectrodeId, part.Probe))
                    throw new EphysInputException(part.Recording.Source, null,
                        $"electrode id {c.ElectrodeId} is on probe {ids[c.ElectrodeId]} and on probe {part.Probe}: electrode ids must be unique across a session's probes");

        // Each series at the common rate, and its start.
        var factors = new int[parts.Count];
        var drifts = new double[parts.Count];
        for (int p = 0; p < parts.Count; p++)
        {
            double ratio = parts[p].Recording.SampleRate / rate;
            factors[p] = (int)Math.Round(ratio);
            drifts[p] = ratio / factors[p] - 1;
            if (Math.Abs(drifts[p]) > 1e-3)
                throw new EphysInputException(parts[p].Recording.Source, null,
                    $"probe {parts[p].Probe} at {parts[p].Recording.SampleRate.ToString("G10", inv)} Hz is not an integer multiple of the lowest rate, {rate.ToString("G10", inv)} Hz; resample it first");
        }
        double start = parts.Max(p => p.Recording.StartTime);
        var offsets = new long[parts.Count];
        long samples = long.MaxValue;
        double worstStart = 0;
        for (int p = 0; p < parts.Count; p++)
        {
            double exact = (start - parts[p].Recording.StartTime) * rate;
            offsets[p] = (long)Math.Round(exact);
            worstStart = Math.Max(worstStart, Math.Abs(exact - offsets[p]) / rate);
            long available = (parts[p].Recording.SampleCount + factors[p] - 1) / factors[p] - offsets[p];
            samples = Math.Min(samples, available);
        }
        if (samples <= 0)
            throw new EphysInputException(string.Join(" + ", owned.Select(r => r.Source)), null,
                "the probes' series do not overlap in time: " + string.Join(", ", parts.Select(p =>
                    $"{p.Probe} {p.Recording.StartTime.ToString("G6", inv)}–{(p.Recording.StartTime + p.Recording.SampleCount / p.Recording.SampleRate).ToString("G6", inv)} s")));

        // A rate that is a multiple only nearly is a clock that drifts against the slowest one.
        for (int p = 0; p < parts.Count; p++)
        {
            double drift = Math.Abs(drifts[p]) * samples;
            if (drift > 1)
                throw new EphysInputException(parts[p].Recording.Source, null,
                    $"probe {parts[p].Probe} at {parts[p].Recording.SampleRate.ToString("G10", inv)} Hz drifts {drift.ToString("F2", inv)} samples against {rate.ToString("G10", inv)} Hz over the {(samples / rate).ToString("F1", inv)} s the probes share (more than one sample); resample it onto the common clock first");
            if (drift > 1e-6)
                note($"probe {parts[p].Probe}: its clock drifts {drift.ToString("F3", inv)} samples ({(drift / rate * 1e3).ToString("G3", inv)} ms) against the others over the shared span (less than one sample; not corrected)");
        }

        var aligned = new IRecording[parts.Count];
        for (int p = 0; p < parts.Count; p++)
        {
            aligned[p] = factors[p] > 1 ? new DecimatedRecording(owned[p], factors[p]) : owned[p];
            if (factors[p] > 1)
                note($"probe {parts[p].Probe}: {parts[p].Recording.SampleRate.ToString("G10", inv)} Hz decimated by {factors[p]} to {rate.ToString("G10", inv)} Hz (anti-alias FIR as scipy resample_poly)");
        }
        if (worstStart > 1e-9)
            note($"probes aligned on their start times to within {(worstStart * 1e3).ToString("G3", inv)} ms (less than half a sample at {rate.ToString("G10", inv)} Hz)");
        return new AlignedRecording(aligned, offsets, rate, samples, start, parts.Select(p => p.Probe).ToList());
    }

    /// <summary>The probe of each channel, by position.</summary>
    public IReadOnlyList<string> ChannelProbes { get; }

    public string Source { get; }
    public double SampleRate { get; }
    public long SampleCount { get; }
    public double StartTime { get; }
    public IReadOnlyList<ChannelInfo> Channels { get; }
    public int PreferredBlockSamples => _parts.Max(p => p.PreferredBlockSamples);

    public void ReadTraces(long start, int count, ReadOnlySpan<int> channels, Span<double> destination)
    {
        if (start < 0 || count < 0 || start + count > SampleCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"samples [{start}, {start + count}) outside [0, {SampleCount}) of {Source}");
        foreach (int c in channels)
            if ((uint)c >= (uint)Channels.Count) throw new ArgumentOutOfRangeException(nameof(channels), c, $"{Source} has {Channels.Count} channels");
        if (count == 0 || channels.IsEmpty) return;
        if (_request.Length < channels.Length) _request = new int[channels.Length];
        for (int p = 0; p < _parts.Length; p++)
        {
            // The requested channels on this probe, in request order; read together, then put in their rows.
            int n = 0;
            for (int k = 0; k < channels.Length; k++)
                if (_partOf[channels[k]] == p) _request[n++] = _local[channels[k]];
            if (n == 0) continue;
            if (n == channels.Length)
            {
                _parts[p].ReadTraces(start + _offsets[p], count, _request.AsSpan(0, n), destination);
                return;
            }
            long needed = (long)n * count;
            if (_scratch.Length < needed) _scratch = new double[needed];
            _parts[p].ReadTraces(start + _offsets[p], count, _request.AsSpan(0, n), _scratch.AsSpan(0, (int)needed));
            int row = 0;
            for (int k = 0; k < channels.Length; k++)
                if (_partOf[channels[k]] == p) _scratch.AsSpan(row++ * count, count).CopyTo(destination.Slice(k * count, count));
        }
    }

    public void Dispose()
    {
        foreach (var part in _parts) part.Dispose();
    }
}
