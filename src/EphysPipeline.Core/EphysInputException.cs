namespace EphysPipeline.Core;

/// <summary>
/// Bad input: a file, dataset or setting the pipeline cannot use. The CLI prints <see cref="Exception.Message"/>
/// as one line and exits with code 1; the study runner records it against the session and goes on.
/// </summary>
public sealed class EphysInputException : Exception
{
    public EphysInputException(string? file, string? dataset, string problem, Exception? inner = null)
        : base(Format(file, dataset, problem), inner)
    {
        File = file;
        Dataset = dataset;
        Problem = problem;
    }

    /// <summary>The file the problem is in, if any.</summary>
    public string? File { get; }

    /// <summary>The dataset, group or setting inside the file, if any.</summary>
    public string? Dataset { get; }

    /// <summary>What is wrong, without the file and dataset.</summary>
    public string Problem { get; }

    private static string Format(string? file, string? dataset, string problem)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(file)) parts.Add(file);
        if (!string.IsNullOrEmpty(dataset)) parts.Add(dataset);
        parts.Add(problem);
        return string.Join(": ", parts);
    }
}

/// <summary>A native library the pipeline needs is missing: names the Debian package that provides it.</summary>
public sealed class NativeLibraryMissingException(string library, string aptPackage, string tried)
    : Exception($"native library {library} not found (tried {tried}); install it with: apt-get install {aptPackage}")
{
    public string Library { get; } = library;
    public string AptPackage { get; } = aptPackage;
    public string Tried { get; } = tried;
}
