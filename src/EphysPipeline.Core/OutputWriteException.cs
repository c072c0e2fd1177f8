using System.Text.RegularExpressions;

namespace EphysPipeline.Core;

/// <summary>
/// An output could not be written: the disk is full, read-only, not ours, or failing. The CLI prints one line naming
/// the path and the cause ("no space left on device while writing …/spectra.h5") and exits with code 1. It is not a
/// session's fault, so the run stops instead of recording it against the session.
/// </summary>
public sealed partial class OutputWriteException(string path, string cause, Exception? inner = null)
    : Exception($"{cause} while writing {path}", inner)
{
    /// <summary>The output file or folder that could not be written.</summary>
    public string Path { get; } = path;

    /// <summary>What the operating system said, e.g. "no space left on device".</summary>
    public string Cause { get; } = cause;

    /// <summary>
    /// The write failure for <paramref name="path"/> that <paramref name="error"/> stands for, or null when it is not one:
    /// an IOException or UnauthorizedAccessException from .NET, or a libhdf5 error carrying the system's errno.
    /// </summary>
    public static OutputWriteException? From(string path, Exception error) => error switch
    {
        OutputWriteException already => already,
        UnauthorizedAccessException => new OutputWriteException(path, CauseOf(error.InnerException is IOException { HResult: > 0 } io ? io.HResult : 13), error),
        IOException io when io.HResult > 0 && io.HResult < 4096 => new OutputWriteException(path, CauseOf(io.HResult), error),
        IOException => new OutputWriteException(path, FirstLine(error.Message), error),
        _ when Errno().Match(error.Message) is { Success: true } match => new OutputWriteException(path, CauseOf(int.Parse(match.Groups[1].Value)), error),
        _ => null,
    };

    /// <summary>Linux errno values an output write meets, in the words of strerror (lower case).</summary>
    public static string CauseOf(int errno) => errno switch
    {
        1 => "operation not permitted",
        5 => "input/output error",
        13 => "permission denied",
        27 => "file too large",
        28 => "no space left on device",
        30 => "read-only file system",
        122 => "disk quota exceeded",
        _ => $"system error {errno}",
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    // libhdf5's sec2 driver reports "..., errno = 28, error message = 'No space left on device', ...".
    [GeneratedRegex(@"errno = (\d+)")]
    private static partial Regex Errno();
}
