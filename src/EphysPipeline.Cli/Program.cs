using System.CommandLine;
using EphysPipeline.Cli;
using EphysPipeline.Cli.Commands;

return EphysCli.Run(args);

namespace EphysPipeline.Cli
{
    using EphysPipeline.Core;
    using EphysPipeline.Study.Manifest;

    /// <summary>The `ephys` command line. Exit codes: 0 ok, 1 bad input, usage or an output the disk refused, 2 internal error.</summary>
    public static class EphysCli
    {
        public const int Ok = 0;
        public const int BadInput = 1;
        public const int Internal = 2;

        /// <summary>Every command, one file each under Commands/.</summary>
        public static RootCommand Build() => new("EphysPipeline: spectral power, phase-locking and entropy of rodent recordings across drug conditions")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            InspectCommand.Create(),
            CompareCommand.Create(),
            MergeCommand.Create(),
            SlurmCommand.Create(),
            SynthCommand.Create(),
            BenchCommand.Create(),
            DoctorCommand.Create(),
            WorkerCommand.Create(),
            new Option<bool>("--verbose") { Recursive = true, Description = "On an internal error, print the stack trace (same as EPHYS_DEBUG=1)" },
        };

        public static int Run(string[] args, TextWriter? error = null)
        {
            error ??= Console.Error;
            // Spectre keeps the writer it first saw; in-process callers (tests) swap Console.Out between runs.
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(Console.Out),
            });
            bool debug = Environment.GetEnvironmentVariable("EPHYS_DEBUG") == "1" || args.Contains("--verbose");
            try
            {
                return Build().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (ChildFailedException e)
            {
                foreach (var line in e.Lines) error.WriteLine(line);
                return e.ExitCode;
            }
            catch (Exception e) when (e is EphysInputException or NativeLibraryMissingException or StudyValidationException or OutputWriteException)
            {
                error.WriteLine($"ephys: {e.Message}");
                if (debug) error.WriteLine(e);
                return BadInput;
            }
            catch (Exception e)
            {
                error.WriteLine($"ephys: internal error: {e.GetType().Name}: {e.Message} (set EPHYS_DEBUG=1 for details)");
                if (debug) error.WriteLine(e);
                return Internal;
            }
        }
    }
}
