using EphysPipeline.Core;
using EphysPipeline.Report;
using EphysPipeline.Report.Changes;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Cli.Commands;

/// <summary>The comparison and report at the end of `ephys run` and `ephys merge`; the study tables are already written.</summary>
internal static class CompareStep
{
    public static int Run(string outputDirectory)
    {
        try
        {
            var summary = Comparison.Run(outputDirectory);
            if (ParquetTables.Requested(outputDirectory)) ParquetTables.ConvertAll(outputDirectory, [Comparison.ComparisonFile, Comparison.ClustersFile]);
            foreach (var warning in summary.Warnings) Console.Error.WriteLine($"comparison: warning: {warning}");
            Console.Error.WriteLine($"comparison: {summary.Design.Name()} design; {summary.Significant} of {summary.Outcomes} outcomes with q < {Comparison.SignificanceQ}, {summary.Clusters} PSD cluster(s) with p < 0.05; report {summary.ReportHtml}");
            return EphysCli.Ok;
        }
        catch (EphysInputException e)
        {
            Console.Error.WriteLine($"ephys: comparison not written: {e.Message}");
            return EphysCli.BadInput;
        }
    }
}
