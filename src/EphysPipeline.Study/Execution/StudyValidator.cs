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
    public static List<string> Check(StudyManifest manifest)
    {
        var problems = new List<string>();
        foreach (var spec in manifest.Sessions)
        {
            try
            {
                using var source = SessionSource.Open(spec, manifest.States);
                double injection = source.InjectionTime(spec);
                foreach (var problem in EpochPlanner.Check(manifest.Epochs, source.Recording, injection))
                    problems.Add($"{spec.Id}: {problem}");
                foreach (var id in spec.BadChannels.Where(id => source.Recording.Channels.All(c => c.ElectrodeId != id)))
                    problems.Add($"{spec.Id}: bad channel {id} is not in the recording");
                foreach (var state in source.States.Where(s => s.Problem is not null))
                    problems.Add($"{spec.Id}: state {state.Definition.Name}: {state.Problem}");
            }
            catch (EphysInputException e)
            {
                problems.Add($"{spec.Id}: {e.Message}");
            }
        }
        return problems;
    }
}
