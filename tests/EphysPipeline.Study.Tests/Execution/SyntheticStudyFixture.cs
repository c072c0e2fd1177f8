using EphysPipeline.IO.Synthetic;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution;
using EphysPipeline.Study.Manifest;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>
/// A small synthetic study (2 subjects × 4 drugs, 4 channels, 4 min, injection at 120 s), generated once and run
/// once with --jobs 2; tests read its outputs or copy the study to run variants.
/// </summary>
public sealed class SyntheticStudyFixture : IDisposable
{
    public static readonly SyntheticStudyOptions Options = new() { Subjects = 2, Channels = 4, Minutes = 4, InjectionSeconds = 120 };

    private readonly TempDirectory _dir = Fixtures.TempDir();

    public SyntheticStudyFixture()
    {
        StudyDirectory = Path.Combine(_dir.Path, "study");
        var config = Path.Combine(_dir.Path, "config.yaml");
        File.WriteAllText(config, ConfigYaml);
        SyntheticStudy.Generate(Options, StudyDirectory, config);
        ManifestPath = Path.Combine(StudyDirectory, SyntheticStudy.ManifestName);
        Manifest = ManifestLoader.Load(ManifestPath);
        Config = ConfigLoader.Load(Manifest.AnalysisPath);
        Outcome = new StudyRunner(Manifest, Config, TestBackends.Current, SilentReporter.Instance).Run(new RunOptions { Jobs = 2 });
    }

    /// <summary>Every family on, multiscale included, with windows short enough for 5-minute sessions.</summary>
    public const string ConfigYaml = """
        entropy:
          sample:
            window_s: 2
          multiscale:
            enabled: true
            window_s: 2
            scales: 2
        """;

    public string Root => _dir.Path;
    public string StudyDirectory { get; }
    public string ManifestPath { get; }
    public StudyManifest Manifest { get; }
    public AnalysisConfig Config { get; }
    public RunOutcome Outcome { get; }
    public string Output => Manifest.OutputDirectory;

    /// <summary>Copies the generated NWB files and manifest (not the outputs) into a fresh folder.</summary>
    public string CopyStudy(string name)
    {
        var target = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(StudyDirectory))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return Path.Combine(target, SyntheticStudy.ManifestName);
    }

    public void Dispose() => _dir.Dispose();
}

// Runs alone: its kill-and-resume test starts a child process, and a child started while another test writes an
// HDF5 file inherits that file's descriptor (libhdf5 opens without O_CLOEXEC) and with it the HDF5 file lock.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SyntheticStudyCollection : ICollectionFixture<SyntheticStudyFixture>
{
    public const string Name = "synthetic study";
}
