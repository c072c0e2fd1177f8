using System.Diagnostics;

namespace EphysPipeline.Study.Execution;

/// <summary>Times each output file's write, for session.json and provenance.json.</summary>
internal sealed class WriteTimer
{
    public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

    public void Time(string key, Action write)
    {
        long start = Stopwatch.GetTimestamp();
        write();
        Seconds[key] = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 4);
    }
}
