using EphysPipeline.Core;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Checks a loaded study against its files before any work starts: each session's file opens, has the series,
/// the manifest's channels, the injection (time or tag), epochs inside the recording, and each state's source.
/// </summary>
public static class StudyValidator
{
    /// <summary>Every problem found, one line each ("session id: what").</summary>
    public static List<string> Check(StudyManifest manifest, MemoryCheck? memory = null) =>
        [.. manifest.Sessions.SelectMany(spec => CheckSession(manifest, spec, memory).Problems)];

    /// <summary>
    /// The problems of one session, one line each ("session id: what"); with <paramref name="memory"/>, also whether it
    /// fits and its estimated peak memory.
    /// </summary>
    public static SessionCheck CheckSession(StudyManifest manifest, SessionSpec spec, MemoryCheck? memory = null)
    {
        var problems = new List<string>();
        int channels = 0;
        long? bytes = null;
        try
        {
            using var source = SessionSource.Open(spec, manifest.States, manifest.Regions, manifest.Units);
            double injection = source.InjectionTime(spec);
            foreach (var problem in EpochPlanner.Check(manifest.Epochs, source.Recording, injection))
                problems.Add($"{spec.Id}: {problem}");
            foreach (var id in spec.BadChannels.Where(id => source.Recording.Channels.All(c => c.ElectrodeId != id)))
                problems.Add($"{spec.Id}: bad channel {id} is not in the recording");
            foreach (var state in source.States.Where(s => s.Problem is not null))
                problems.Add($"{spec.Id}: state {state.Definition.Name}: {state.Problem}");
            channels = source.Recording.Channels.Count;
            if (memory is not null)
            {
                bytes = memory.Estimate(manifest, channels, source.Recording.SampleRate).TotalBytes;
                if (memory.Problem(manifest, channels, source.Recording.SampleRate) is { } tooBig) problems.Add($"{spec.Id}: {tooBig}");
            }
        }
        catch (EphysInputException e)
        {
            problems.Add($"{spec.Id}: {e.Message}");
        }
        return new SessionCheck(problems, channels, bytes);
    }
}

/// <summary>What checking one session found: its problems, its channel count and its estimated peak memory.</summary>
public sealed record SessionCheck(IReadOnlyList<string> Problems, int Channels, long? MemoryBytes);
