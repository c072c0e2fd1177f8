using EphysPipeline.Core;
using EphysPipeline.IO;
using EphysPipeline.TestSupport;

namespace EphysPipeline.IO.Tests;

/// <summary>Truncated and byte-flipped copies of fixtures: each reads, or fails as bad input; never a crash or a hang.</summary>
public class CorruptionTests
{
    public static TheoryData<string, int> Variants()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "saline_m01_timestamps.nwb", "ketamine_m01.nwb" })
            for (var variant = 0; variant < 24; variant++) data.Add(name, variant);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Corrupted_copy_reads_or_fails_as_bad_input(string name, int variant)
    {
        var original = File.ReadAllBytes(Fixtures.PathOf("nwb/" + name));
        var bytes = Corrupt(original, variant);
        using var dir = Fixtures.TempDir();
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        try
        {
            using var nwb = NwbFile.Open(path);
            _ = nwb.ReadMetadata();
            _ = nwb.ReadUnits();
            nwb.ReadSpikeTimes((_, _, _) => { });
            _ = nwb.ReadIntervals();
            using var recording = nwb.OpenSeries();
            var channels = Enumerable.Range(0, recording.Channels.Count).ToArray();
            var block = new double[channels.Length * recording.PreferredBlockSamples];
            for (long start = 0; start < recording.SampleCount; start += recording.PreferredBlockSamples)
            {
                var count = (int)Math.Min(recording.PreferredBlockSamples, recording.SampleCount - start);
                recording.ReadTraces(start, count, channels, block);
            }
        }
        catch (EphysInputException error)
        {
            Assert.StartsWith(path, error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    /// <summary>Deterministic damage: variants 0–7 truncate, 8–15 flip bytes in the metadata head, 16–23 flip bytes anywhere.</summary>
    private static byte[] Corrupt(byte[] original, int variant)
    {
        var random = new Random(1000 + variant);
        if (variant < 8) return original[..(int)(original.Length * (variant + 1) / 9.0)];
        var bytes = (byte[])original.Clone();
        var region = variant < 16 ? Math.Min(bytes.Length, 8192) : bytes.Length;
        for (var i = 0; i < 8; i++) bytes[random.Next(region)] ^= (byte)(1 << random.Next(8));
        return bytes;
    }
}
