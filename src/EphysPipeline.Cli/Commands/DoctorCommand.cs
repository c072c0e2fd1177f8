using System.CommandLine;
using EphysPipeline.Backends;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Manifest;

namespace EphysPipeline.Cli.Commands;

/// <summary>
/// `ephys doctor [STUDY]`: which native libraries load (with versions, or the apt-get line that installs them) and the
/// FFT and BLAS backends a run would use, for the study's config or the built-in defaults, after EPHYS_FFT / EPHYS_BLAS.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var study = new Argument<FileInfo?>("study") { Description = "Study manifest whose analysis config to resolve (default: built-in config)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("doctor", "Show the native libraries found, their versions, and the FFT and BLAS backends a run would choose") { study };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(study)?.FullName;
            var config = ConfigLoader.Load(path is null ? null : ManifestLoader.Load(path).AnalysisPath);
            Write(Console.Out, config);
            return EphysCli.Ok;
        });
        return command;
    }

    public static void Write(TextWriter output, AnalysisConfig config)
    {
        output.WriteLine($"ephys {typeof(DoctorCommand).Assembly.GetName().Version?.ToString(3)} on .NET {Environment.Version}");
        output.WriteLine("native libraries:");
        foreach (var library in NativeLibraries.Probe())
            output.WriteLine($"  {library.Name}: {(library.Found ? "found, " : "")}{library.Detail}");
        var selection = BackendSelector.Select(config.Execution.Fft, config.Execution.Blas);
        output.WriteLine("backends:");
        output.WriteLine($"  fft ({Source(BackendSelector.FftVariable, "execution.fft", selection.FftRequest)}): {selection.Backends.Fft.Name}");
        output.WriteLine($"  blas ({Source(BackendSelector.BlasVariable, "execution.blas", selection.BlasRequest)}): {selection.Backends.Blas.Name}");
        foreach (var warning in selection.Warnings) output.WriteLine($"warning: {warning}");
    }

    private static string Source(string variable, string key, string request) =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)) ? $"{key}: {request}" : $"{variable}={request}";
}
