using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Report.Changes;

/// <summary>A session of the study with its subject and drug.</summary>
public readonly record struct SessionLabel(string Session, string Subject, string Drug);

/// <summary>Subject-level spectra: a spectrum (dB change) per subject, for one drug, epoch and region.</summary>
public sealed record SpectrumGroup(string Drug, string Epoch, string Region, IReadOnlyList<(string Subject, double[] Change)> Subjects);

/// <summary>Band power around the injection, dB relative to the pre-injection frames, mean over channels, per subject.</summary>
public sealed record TimeCourseGroup(string Drug, string Band, double[] Times, IReadOnlyList<(string Subject, double[] Db)> Subjects);

/// <summary>
/// Reads spectra.h5 (docs/outputs.md): PSD change from the reference epoch in dB per channel and frequency, averaged
/// over a region's channels per session, then over a subject's sessions of the same drug; and band-power time courses
/// from the spectrograms. Reads one channel of a spectrogram at a time so memory does not grow with recording length.
/// </summary>
public sealed class SpectralChanges
{
    public double[] Frequencies { get; private set; } = [];
    public List<SpectrumGroup> Spectra { get; } = [];
    public List<TimeCourseGroup> TimeCourses { get; } = [];

    public static SpectralChanges Load(string path, IReadOnlyList<SessionLabel> sessions, string referenceEpoch,
        IReadOnlyList<string> epochs, IReadOnlyDictionary<string, (double Low, double High)> bands, List<string> warnings)
    {
        var result = new SpectralChanges();
        if (!File.Exists(path))
        {
            warnings.Add("spectra.h5 not found: no PSD change, clusters or time courses");
            return result;
        }
        using var file = Hdf5File.OpenRead(path);
        var spectra = new Accumulator<(string Drug, string Epoch, string Region)>();
        var courses = new Accumulator<(string Drug, string Band)>();
        double[]? frequencies = null;
        double timeStep = double.NaN, timeOrigin = double.NaN;
        foreach (var s in sessions)
        {
            if (!file.Exists(s.Session)) continue;
            using var group = file.OpenGroup(s.Session);
            var refName = "psd_" + referenceEpoch;
            if (group.Exists(refName))
            {
                var reference = ReadPsd(group, refName);
                frequencies ??= reference.Frequencies;
                if (!reference.Frequencies.AsSpan().SequenceEqual(frequencies))
                    warnings.Add($"{s.Session}: PSD frequencies differ from the first session's; left out of the PSD comparison");
                else
                    foreach (var epoch in epochs)
                    {
                        if (epoch == referenceEpoch || !group.Exists("psd_" + epoch)) continue;
                        var psd = ReadPsd(group, "psd_" + epoch);
                        if (!psd.Frequencies.AsSpan().SequenceEqual(frequencies)) continue;
                        foreach (var (region, change) in RegionChanges(reference, psd))
                            spectra.Add((s.Drug, epoch, region), s.Session, s.Subject, change);
                    }
            }
            if (group.Exists("spectrogram"))
            {
                var course = ReadTimeCourses(group, bands);
                if (course.Times.Length == 0) continue;
                if (double.IsNaN(timeStep))
                {
                    timeStep = course.Times.Length > 1 ? course.Times[1] - course.Times[0] : 1.0;
                    timeOrigin = course.Times[0];
                }
                foreach (var (band, db) in course.Bands)
                    courses.AddTimed((s.Drug, band), s.Session, s.Subject, course.Times, db, timeOrigin, timeStep);
            }
        }
        result.Frequencies = frequencies ?? [];
        foreach (var (key, subjects) in spectra.Finish())
            result.Spectra.Add(new SpectrumGroup(key.Drug, key.Epoch, key.Region, subjects));
        foreach (var (key, subjects, times) in courses.FinishTimed(timeOrigin, timeStep))
            result.TimeCourses.Add(new TimeCourseGroup(key.Drug, key.Band, times, subjects));
        return result;
    }

    private sealed record Psd(double[] Frequencies, long[] Channels, string[] Regions, double[] Power);

    private static Psd ReadPsd(Hdf5Group session, string name)
    {
        using var g = session.OpenGroup(name);
        using var f = g.OpenDataset("frequency");
        using var c = g.OpenDataset("channel");
        using var r = g.OpenDataset("region");
        using var p = g.OpenDataset("power");
        return new Psd(f.ReadAll<double>(), c.ReadAll<long>(), r.ReadStrings(), p.ReadAll<double>());
    }

    /// <summary>Per region: mean over its channels (present in both epochs) of 10·log10(epoch/reference), finite values only.</summary>
    private static IEnumerable<(string Region, double[] Change)> RegionChanges(Psd reference, Psd epoch)
    {
        int bins = reference.Frequencies.Length;
        var refIndex = new Dictionary<long, int>();
        for (int i = 0; i < reference.Channels.Length; i++) refIndex[reference.Channels[i]] = i;
        var regions = new List<string>();
        var sums = new Dictionary<string, (double[] Sum, int[] Count)>();
        for (int i = 0; i < epoch.Channels.Length; i++)
        {
            if (!refIndex.TryGetValue(epoch.Channels[i], out int j)) continue;
            string region = epoch.Regions[i];
            if (!sums.TryGetValue(region, out var acc)) { sums[region] = acc = (new double[bins], new int[bins]); regions.Add(region); }
            for (int b = 0; b < bins; b++)
            {
                double db = 10.0 * Math.Log10(epoch.Power[i * bins + b] / reference.Power[j * bins + b]);
                if (!double.IsFinite(db)) continue;
                acc.Sum[b] += db;
                acc.Count[b]++;
            }
        }
        foreach (var region in regions)
        {
            var (sum, count) = sums[region];
            yield return (region, sum.Select((v, b) => count[b] > 0 ? v / count[b] : double.NaN).ToArray());
        }
    }

    private sealed record Course(double[] Times, List<(string Band, double[] Db)> Bands);

    /// <summary>Band power per frame (trapezoid over the band's bins of the channel-mean PSD), in dB vs the mean before t = 0.</summary>
    private static Course ReadTimeCourses(Hdf5Group session, IReadOnlyDictionary<string, (double Low, double High)> bands)
    {
        using var g = session.OpenGroup("spectrogram");
        using var tDs = g.OpenDataset("time");
        using var fDs = g.OpenDataset("frequency");
        using var p = g.OpenDataset("power");
        var times = tDs.ReadAll<double>();
        var freqs = fDs.ReadAll<double>();
        var shape = p.Shape;
        if (shape.Length != 3 || shape[1] != times.Length || shape[2] != freqs.Length) return new Course([], []);
        int channels = (int)shape[0], frames = times.Length, bins = freqs.Length;
        var mean = new double[frames * bins];
        var count = new int[frames * bins];
        var slice = new double[frames * bins];
        for (int c = 0; c < channels; c++)
        {
            p.Read<double>([c, 0, 0], [1, frames, bins], slice);
            for (int k = 0; k < slice.Length; k++)
                if (double.IsFinite(slice[k])) { mean[k] += slice[k]; count[k]++; }
        }
        for (int k = 0; k < mean.Length; k++) mean[k] = count[k] > 0 ? mean[k] / count[k] : double.NaN;
        var result = new List<(string, double[])>();
        foreach (var (band, (low, high)) in bands.OrderBy(b => b.Value.Low))
        {
            var power = new double[frames];
            for (int t = 0; t < frames; t++)
            {
                double area = 0;
                int used = 0;
                for (int b = 0; b + 1 < bins; b++)
                {
                    if (freqs[b] < low || freqs[b + 1] > high) continue;
                    area += 0.5 * (mean[t * bins + b] + mean[t * bins + b + 1]) * (freqs[b + 1] - freqs[b]);
                    used++;
                }
                power[t] = used > 0 ? area : double.NaN;
            }
            double baseline = 0;
            int n = 0;
            for (int t = 0; t < frames; t++)
                if (times[t] < 0 && double.IsFinite(power[t])) { baseline += power[t]; n++; }
            if (n == 0) continue;
            baseline /= n;
            result.Add((band, power.Select(v => 10.0 * Math.Log10(v / baseline)).ToArray()));
        }
        return new Course(times, result);
    }

    /// <summary>Session means → subject means, in first-seen order; NaN bins stay NaN only if every session is NaN there.</summary>
    private sealed class Accumulator<TKey> where TKey : notnull
    {
        private readonly List<TKey> _keys = [];
        private readonly Dictionary<TKey, List<(string Subject, List<double[]> Sessions)>> _data = new();
        private readonly Dictionary<TKey, (long Min, long Max)> _span = new();
        private readonly Dictionary<(TKey, string), Dictionary<long, (double Sum, int Count)>> _timed = new();

        public void Add(TKey key, string session, string subject, double[] values)
        {
            if (!_data.TryGetValue(key, out var subjects)) { _data[key] = subjects = []; _keys.Add(key); }
            int i = subjects.FindIndex(s => s.Subject == subject);
            if (i < 0) subjects.Add((subject, [values]));
            else subjects[i].Sessions.Add(values);
        }

        public void AddTimed(TKey key, string session, string subject, double[] times, double[] values, double origin, double step)
        {
            if (!_data.TryGetValue(key, out var subjects)) { _data[key] = subjects = []; _keys.Add(key); }
            if (subjects.FindIndex(s => s.Subject == subject) < 0) subjects.Add((subject, []));
            if (!_timed.TryGetValue((key, subject), out var grid)) _timed[(key, subject)] = grid = new();
            for (int t = 0; t < times.Length; t++)
            {
                if (!double.IsFinite(values[t])) continue;
                long index = (long)Math.Round((times[t] - origin) / step);
                var acc = grid.GetValueOrDefault(index);
                grid[index] = (acc.Sum + values[t], acc.Count + 1);
                (long Min, long Max) span = _span.TryGetValue(key, out var s) ? s : (index, index);
                _span[key] = (Math.Min(span.Min, index), Math.Max(span.Max, index));
            }
        }

        public IEnumerable<(TKey Key, IReadOnlyList<(string, double[])> Subjects)> Finish()
        {
            foreach (var key in _keys)
            {
                var list = new List<(string, double[])>();
                foreach (var (subject, sessions) in _data[key])
                {
                    int n = sessions[0].Length;
                    var mean = new double[n];
                    for (int b = 0; b < n; b++)
                    {
                        double sum = 0;
                        int count = 0;
                        foreach (var s in sessions) if (double.IsFinite(s[b])) { sum += s[b]; count++; }
                        mean[b] = count > 0 ? sum / count : double.NaN;
                    }
                    list.Add((subject, mean));
                }
                yield return (key, list);
            }
        }

        public IEnumerable<(TKey Key, IReadOnlyList<(string, double[])> Subjects, double[] Times)> FinishTimed(double origin, double step)
        {
            foreach (var key in _keys)
            {
                if (!_span.TryGetValue(key, out var span)) continue;
                int n = (int)(span.Max - span.Min + 1);
                var times = Enumerable.Range(0, n).Select(i => origin + (span.Min + i) * step).ToArray();
                var list = new List<(string, double[])>();
                foreach (var (subject, _) in _data[key])
                {
                    var grid = _timed[(key, subject)];
                    list.Add((subject, Enumerable.Range(0, n).Select(i =>
                        grid.TryGetValue(span.Min + i, out var a) ? a.Sum / a.Count : double.NaN).ToArray()));
                }
                yield return (key, list, times);
            }
        }
    }
}
