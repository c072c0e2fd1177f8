using System.CommandLine;
using System.Text.Json;
using EphysPipeline.Cli.Bench;
using EphysPipeline.Core;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys bench`: generates a fixed workload (cached), runs every metric family through the real runner in a child
/// process (so its peak memory is its own), then the Python peers on the same file; writes bench.json and bench.md.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "standard (32 ch × 30 min × 1 kHz), neuropixels (384 ch × 10 min × 2.5 kHz) or openscope (6 probes, 1,376 ch × 2 h × 1250 Hz, 4,128 units; no peers)", DefaultValueFactory = _ => "standard" };
        var scale = new Option<double>("--scale") { Description = "openscope: channels and units as a fraction of full size", DefaultValueFactory = _ => 1.0 };
        var minutes = new Option<double>("--minutes") { Description = "openscope: session length (min)", DefaultValueFactory = _ => 120.0 };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Threads for the analysis (default: CPU count)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var work = new Option<string>("--work") { Description = "Directory for the cached workload and the results", DefaultValueFactory = _ => "bench-work" };
        var noPeers = new Option<bool>("--no-peers") { Description = "Skip the Python peers (numpy, scipy, MNE)" };
        var scaling = new Option<bool>("--scaling") { Description = "Run the analysis at 1, 2, 4, … threads up to the CPU count: speed-up, efficiency, memory and each stage's share (no peers)" };
        var parquet = new Option<bool>("--parquet") { Description = "Also write the study tables as Parquet and report CSV against Parquet: rows, sizes, write times" };
        var child = new Option<string?>("--child-manifest") { Hidden = true };
        var command = new Command("bench", "Time the full metric set end to end on a synthetic session, against the Python peers")
        {
            profile, jobs, work, noPeers, scaling, parquet, scale, minutes, child,
        };
        command.SetAction(parse =>
        {
            int threads = Math.Max(1, parse.GetValue(jobs));
            if (parse.GetValue(child) is { } manifest) return BenchChild.Run(manifest, threads);
            var name = parse.GetValue(profile)!;
            BenchProfile chosen;
            try
            {
                chosen = BenchProfile.Find(name, parse.GetValue(scale), parse.GetValue(minutes))
                    ?? throw new EphysInputException(null, "--profile", $"'{name}' is not standard, neuropixels or openscope");
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new EphysInputException(null, "--scale", e.Message.Split('\n')[0].Split(" (Parameter")[0], e);
            }
            var workload = new BenchWorkload(parse.GetValue(work)!, chosen, parse.GetValue(parquet));
            // The peers read one series of one file; a multi-probe session has no counterpart script.
            bool peers = !parse.GetValue(noPeers) && chosen.Probes is null;
            return parse.GetValue(scaling) ? Scaling(workload) : Run(workload, threads, peers);
        });
        return command;
    }

    private static double Prepare(BenchWorkload workload)
    {
        var p = workload.Profile;
        Console.Error.WriteLine($"bench {p.Name}: {p.Channels} ch × {p.Minutes} min × {p.Rate} Hz in {workload.Directory}");
        double generated;
        try { generated = workload.Prepare(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EphysInputException(workload.Directory, null, e.Message, e);
        }
        Console.Error.WriteLine(generated > 0 ? $"  generated the session in {generated:F1} s" : "  session cached");
        return generated;
    }

    /// <summary>The analysis in a child process at <paramref name="threads"/>, with its stage timings from session.json.</summary>
    private static (ChildMeasurement Ours, IReadOnlyDictionary<string, double> Stages) Analyse(BenchWorkload workload, int threads)
    {
        Console.Error.WriteLine($"  analysing with {threads} thread{(threads == 1 ? "" : "s")} (child process) ...");
        // A previous run's status file must not lend its stage timings to this run.
        if (File.Exists(workload.SessionRecordPath)) File.Delete(workload.SessionRecordPath);
        var ours = BenchChild.Start(workload.ManifestPath, threads);
        var stages = File.Exists(workload.SessionRecordPath) ? BenchReport.ReadStages(workload.SessionRecordPath) : new Dictionary<string, double>();
        Console.Error.WriteLine($"  ours: {ours.WallSeconds:F1} s wall");
        return (ours, stages);
    }

    private static int Scaling(BenchWorkload workload)
    {
        Prepare(workload);
        var points = new List<ScalingPoint>();
        foreach (int threads in ScalingReport.ThreadCounts(Environment.ProcessorCount))
        {
            var (ours, stages) = Analyse(workload, threads);
            points.Add(new ScalingPoint(threads, ours, stages));
        }
        var report = new ScalingReport(workload.Profile, points);
        var markdown = report.Markdown();
        File.WriteAllText(Path.Combine(workload.Directory, "scaling.json"),
            JsonSerializer.Serialize(report.ToJson(), new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(workload.Directory, "scaling.md"), markdown);
        Console.Out.Write(markdown);
        Console.Error.WriteLine($"results: {Path.Combine(workload.Directory, "scaling.json")}, scaling.md");
        return points.All(p => p.Measurement.Failures == 0) ? 0 : 1;
    }

    private static int Run(BenchWorkload workload, int jobs, bool peers)
    {
        var err = Console.Error;
        var p = workload.Profile;
        double generated = Prepare(workload);
        var (ours, stages) = Analyse(workload, jobs);

        PeerResult? peerResult = null;
        if (peers)
        {
            err.WriteLine("  peers (python3: h5py, scipy, MNE, numpy) ...");
            peerResult = PeerRunner.Run(workload, Path.Combine(workload.Directory, "peers.json"));
        }

        var outputs = ours.Failures == 0 && File.Exists(workload.SessionRecordPath)
            ? OutputSizes.Measure(workload.OutputDirectory, workload.SessionRecordPath) : [];
        var report = new BenchReport(p, jobs, generated, ours, stages, peerResult, outputs);
        var markdown = report.Markdown();
        File.WriteAllText(Path.Combine(workload.Directory, "bench.json"),
            JsonSerializer.Serialize(report.ToJson(), new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(workload.Directory, "bench.md"), markdown);
        Console.Out.Write(markdown);
        err.WriteLine($"results: {Path.Combine(workload.Directory, "bench.json")}, bench.md");
        return ours.Failures == 0 ? 0 : 1;
    }
}
