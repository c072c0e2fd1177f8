using System.CommandLine;
using EphysPipeline.Report;
using EphysPipeline.Report.Changes;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Cli.Commands;

/// <summary>`ephys compare OUTPUT_DIR`: (re)computes comparison.csv, clusters.csv and report.html from a study's outputs.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var output = new Argument<DirectoryInfo>("output") { Description = "A study output folder written by `ephys run` (metrics.csv, spectra.h5, provenance.json, …)" };
        var command = new Command("compare", "Compare drugs with the control: changes from the reference epoch, group statistics with FDR, PSD clusters and the HTML report") { output };
        command.SetAction(parse =>
        {
            // A missing or unreadable folder is an EphysInputException: the entry point prints it and exits 1.
            var directory = parse.GetValue(output)!.FullName;
            using var runLock = Directory.Exists(directory) ? RunCommand.Locked(directory, shard: null) : null;
            var summary = Comparison.Run(directory);
            if (ParquetTables.Requested(directory)) ParquetTables.ConvertAll(directory, [Comparison.ComparisonFile, Comparison.ClustersFile]);
            foreach (var warning in summary.Warnings) Console.Error.WriteLine($"warning: {warning}");
            Console.WriteLine($"{summary.Design.Name()} design: {summary.Outcomes} outcomes, {summary.Significant} with q < {Comparison.SignificanceQ}, {summary.Clusters} PSD cluster(s) with p < 0.05");
            Console.WriteLine($"wrote {summary.ComparisonCsv}");
            Console.WriteLine($"wrote {summary.ClustersCsv}");
            Console.WriteLine($"wrote {summary.ReportHtml}");
            return 0;
        });
        return command;
    }
}
