namespace EphysPipeline.Report.Changes;

/// <summary>How drug subjects relate to control subjects, from which subjects have sessions of which drug.</summary>
public enum StudyDesign
{
    /// <summary>Every subject with a drug session also has control sessions (crossover).</summary>
    WithinSubject,
    /// <summary>No subject has both a drug and a control session.</summary>
    BetweenSubject,
    /// <summary>Some drug subjects have control sessions and some do not.</summary>
    Mixed,
    /// <summary>No control sessions, or no drug sessions: nothing to contrast.</summary>
    NoContrast,
}

public static class StudyDesigns
{
    public static StudyDesign Detect(IEnumerable<SessionLabel> sessions, string control)
    {
        var controlSubjects = new HashSet<string>(StringComparer.Ordinal);
        var drugSubjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sessions) (s.Drug == control ? controlSubjects : drugSubjects).Add(s.Subject);
        if (controlSubjects.Count == 0 || drugSubjects.Count == 0) return StudyDesign.NoContrast;
        int paired = drugSubjects.Count(controlSubjects.Contains);
        return paired == drugSubjects.Count ? StudyDesign.WithinSubject
            : paired == 0 ? StudyDesign.BetweenSubject : StudyDesign.Mixed;
    }

    public static string Name(this StudyDesign d) => d switch
    {
        StudyDesign.WithinSubject => "within-subject",
        StudyDesign.BetweenSubject => "between-subject",
        StudyDesign.Mixed => "mixed",
        _ => "no contrast",
    };

    /// <summary>Designs where some subjects have both a drug and a control value, so paired contrasts exist.</summary>
    public static bool HasPairs(this StudyDesign d) => d is StudyDesign.WithinSubject or StudyDesign.Mixed;

    /// <summary>Designs where the drug and control groups hold different subjects, so independent-group tests apply.</summary>
    public static bool HasIndependentGroups(this StudyDesign d) => d is StudyDesign.BetweenSubject or StudyDesign.Mixed;
}
