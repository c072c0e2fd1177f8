using EphysPipeline.Core;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Manifest;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Config;

public class ConfigLoaderTests
{
    private static string RepoFile(string relative) => Path.GetFullPath(Path.Combine(Fixtures.PathOf(""), "..", "..", relative));

    [Fact]
    public void DefaultYamlStatesExactlyTheBuiltInDefaults()
    {
        var fromFile = ConfigLoader.Load(RepoFile("configs/default.yaml"));
        Assert.Equal(ConfigLoader.ToCanonicalJson(new AnalysisConfig()), ConfigLoader.ToCanonicalJson(fromFile));
    }

    [Fact]
    public void PartialConfigKeepsDefaultsAndChangesTheHash()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("c.yaml");
        File.WriteAllText(path, "spectral:\n  segment_s: 4\n");
        var config = ConfigLoader.Load(path);
        Assert.Equal(4, config.Spectral.SegmentS);
        Assert.Equal(0.5, config.Spectral.Overlap);
        Assert.NotEqual(ConfigLoader.Hash(new AnalysisConfig()), ConfigLoader.Hash(config));
    }

    [Fact]
    public void BadValuesAreAllReported()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("c.yaml");
        File.WriteAllText(path, """
            preprocessing:
              reference: car
            spectral:
              overlap: 1.5
              average: mode
            phase:
              bands: [theta, ripple]
            entropy:
              permutation:
                order: 9
            execution:
              fft: mkl
              blas: atlas
            """);
        var e = Assert.Throws<StudyValidationException>(() => ConfigLoader.Load(path));
        Assert.Contains(e.Problems, p => p.Contains("preprocessing.reference"));
        Assert.Contains(e.Problems, p => p.Contains("spectral.overlap"));
        Assert.Contains(e.Problems, p => p.Contains("spectral.average"));
        Assert.Contains(e.Problems, p => p.Contains("'ripple'"));
        Assert.Contains(e.Problems, p => p.Contains("entropy.permutation.order"));
        Assert.Contains(e.Problems, p => p.Contains("execution.fft: 'mkl' is not one of auto, fftw, managed"));
        Assert.Contains(e.Problems, p => p.Contains("execution.blas: 'atlas' is not one of auto, openblas, managed"));
    }

    [Fact]
    public void UnknownKeyIsAnError()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("c.yaml");
        File.WriteAllText(path, "spectral:\n  segmnt_s: 4\n");
        var e = Assert.Throws<EphysInputException>(() => ConfigLoader.Load(path));
        Assert.Contains("segmnt_s", e.Message);
    }
}
