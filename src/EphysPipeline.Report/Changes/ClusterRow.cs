namespace EphysPipeline.Report.Changes;

/// <summary>
/// One row of clusters.csv: a frequency cluster of the PSD change, drug vs control, for an epoch and region, from the
/// paired sign-flip test (<see cref="PairedTest"/>) or the two-group test (<see cref="TwoGroupTest"/>).
/// </summary>
public sealed record ClusterRow(
    StudyDesign Design, string Test, string Drug, string Control, string Epoch, string Region, int NDrug, int NControl,
    int NPaired, double Threshold, int Cluster, double FLowHz, double FHighHz, int NBins, double Statistic, double P,
    double MeanDifferenceDb, int Permutations, string Method, string Status)
{
    public const string PairedTest = "paired t";
    public const string TwoGroupTest = "two-group F";

    /// <summary>A test that ran (with or without clusters), as opposed to one left out for too few subjects.</summary>
    public bool Tested => Permutations > 0;
}
