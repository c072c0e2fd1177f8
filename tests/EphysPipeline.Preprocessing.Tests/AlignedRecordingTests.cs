using EphysPipeline.Core;
using EphysPipeline.Preprocessing.Recordings;

namespace EphysPipeline.Preprocessing.Tests;

public class AlignedRecordingTests
{
    private static double[][] Rows(int channels, int samples, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, samples).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
    }

    [Fact]
    public void ProbesShareTheSpanTheRateAndSitSideBySide()
    {
        // A: 1000 Hz from t = 2.0 s; B: 2000 Hz from t = 1.5 s (decimated by 2); C: 1000 Hz from t = 2.0004 s (rounds to 0).
        var a = Rows(2, 10_000, 1);
        var b = Rows(3, 18_000, 2);
        var c = Rows(1, 9_000, 3);
        var notes = new List<string>();
        using var aligned = AlignedRecording.Create(
        [
            new("A", new ArrayRecording(a, 1000, startTime: 2.0, firstId: 0)),
            new("B", new ArrayRecording(b, 2000, startTime: 1.5, firstId: 10)),
            new("C", new ArrayRecording(c, 1000, startTime: 2.0004, firstId: 20)),
        ], notes.Add);

        Assert.Equal(1000, aligned.SampleRate);
        Assert.Equal(2.0004, aligned.StartTime);   // the latest start; A and B round to it
        // B covers 1.5–10.5 s, i.e. 8.5 s from 2.0; C 9 s; A 10 s.
        Assert.Equal(8_500, aligned.SampleCount);
        Assert.Equal([0L, 1, 10, 11, 12, 20], aligned.Channels.Select(ch => ch.ElectrodeId));
        Assert.Equal(["A", "A", "B", "B", "B", "C"], aligned.ChannelProbes);
        Assert.Equal(Enumerable.Range(0, 6), aligned.Channels.Select(ch => ch.Index));
        Assert.Contains(notes, n => n.Contains("probe B: 2000 Hz decimated by 2 to 1000 Hz"));
        Assert.Contains(notes, n => n.Contains("to within 0.4 ms"));

        // Any channel order, any window: A as stored, B as its own decimation 500 samples in, C as stored.
        using var decimated = new DecimatedRecording(new ArrayRecording(b, 2000), 2);
        var expectedB = new double[2 * 300];
        decimated.ReadTraces(500 + 1000, 300, [2, 0], expectedB);
        var got = new double[4 * 300];
        aligned.ReadTraces(1000, 300, [4, 0, 5, 2], got);
        Assert.Equal(expectedB[..300], got[..300]);
        Assert.Equal(a[0].AsSpan(1000, 300).ToArray(), got[300..600]);
        Assert.Equal(c[0].AsSpan(1000, 300).ToArray(), got[600..900]);
        Assert.Equal(expectedB[300..], got[900..]);

        var one = new double[300];
        aligned.ReadTraces(8_200, 300, [1], one);
        Assert.Equal(a[1].AsSpan(8_200, 300).ToArray(), one);
    }

    [Fact]
    public void DriftOverlapAndRepeatedIdsAreErrors()
    {
        var notes = new List<string>();
        // 1000.5 vs 1000 Hz over 10 s: 5 samples of drift.
        var drift = new ArrayRecording(Rows(1, 10_005, 4), 1000.5, firstId: 10);
        var e = Assert.Throws<EphysInputException>(() => AlignedRecording.Create(
            [new("A", new ArrayRecording(Rows(1, 10_000, 5), 1000, firstId: 0)), new("B", drift)], notes.Add));
        Assert.Contains("drifts 5.00 samples", e.Message);
        Assert.True(drift.Disposed);

        // 1000.01 Hz over 10 s: 0.1 sample, stated.
        using (AlignedRecording.Create([new("A", new ArrayRecording(Rows(1, 10_000, 5), 1000, firstId: 0)),
                   new("B", new ArrayRecording(Rows(1, 10_000, 6), 1000.01, firstId: 10))], notes.Add))
            Assert.Contains(notes, n => n.Contains("probe B: its clock drifts 0.100 samples"));

        e = Assert.Throws<EphysInputException>(() => AlignedRecording.Create(
            [new("A", new ArrayRecording(Rows(1, 1_000, 5), 1000, firstId: 0)), new("B", new ArrayRecording(Rows(1, 1_000, 6), 2500, firstId: 10))], notes.Add));
        Assert.Contains("not an integer multiple", e.Message);

        e = Assert.Throws<EphysInputException>(() => AlignedRecording.Create(
            [new("A", new ArrayRecording(Rows(1, 1_000, 5), 1000, firstId: 0)), new("B", new ArrayRecording(Rows(1, 1_000, 6), 1000, startTime: 5, firstId: 10))], notes.Add));
        Assert.Contains("do not overlap", e.Message);

        e = Assert.Throws<EphysInputException>(() => AlignedRecording.Create(
            [new("A", new ArrayRecording(Rows(2, 1_000, 5), 1000)), new("B", new ArrayRecording(Rows(2, 1_000, 6), 1000))], notes.Add));
        Assert.Contains("electrode id 100 is on probe A and on probe B", e.Message);
    }
}
