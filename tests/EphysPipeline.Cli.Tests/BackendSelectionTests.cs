using EphysPipeline.Backends;
using EphysPipeline.Backends.Managed;
using EphysPipeline.Cli;
using EphysPipeline.Cli.Commands;
using EphysPipeline.Core;
using EphysPipeline.Core.Blas;
using EphysPipeline.Core.Fft;
using EphysPipeline.Native.Fftw;
using EphysPipeline.Native.OpenBlas;
using EphysPipeline.Study.Config;

namespace EphysPipeline.Cli.Tests;

/// <summary>
/// The composition root's backend choice: config, environment override, auto fallback with its warning, and the
/// startup error for a missing library that was asked for (a throwing factory stands in for the missing library).
/// </summary>
[Collection("Console")]
public class BackendSelectionTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static IFftProvider MissingFftw() => throw new NativeLibraryMissingException("libfftw3.so.3", "libfftw3-double3", "libfftw3.so.3");

    private static IBlasProvider MissingOpenBlas() => throw new NativeLibraryMissingException("libopenblas.so.0", "libopenblas0", "libopenblas.so.0");

    [Fact]
    public void AutoTakesTheNativeLibrariesWhenTheyLoadWithoutWarning()
    {
        var selection = BackendSelector.Select("auto", "auto", NoEnvironment);
        Assert.Same(FftwProvider.Shared, selection.Backends.Fft);
        Assert.Same(OpenBlasProvider.Shared, selection.Backends.Blas);
        Assert.Empty(selection.Warnings);
    }

    [Fact]
    public void AutoFallsBackToManagedWithOneLineWarningsNamingTheAptPackages()
    {
        var selection = BackendSelector.Select("auto", "auto", NoEnvironment, MissingFftw, MissingOpenBlas);
        Assert.Same(FftSharpProvider.Shared, selection.Backends.Fft);
        Assert.Same(ManagedBlasProvider.Instance, selection.Backends.Blas);
        Assert.Equal(2, selection.Warnings.Count);
        Assert.All(selection.Warnings, w => Assert.DoesNotContain('\n', w));
        Assert.Contains("slower", selection.Warnings[0]);
        Assert.Contains("apt-get install libfftw3-double3 libfftw3-single3", selection.Warnings[0]);
        Assert.Contains("apt-get install libopenblas0", selection.Warnings[1]);
    }

    [Fact]
    public void ExplicitNativeRequestWithoutTheLibraryIsAStartupErrorNamingThePackage()
    {
        var fft = Assert.Throws<NativeLibraryMissingException>(() => BackendSelector.Select("fftw", "auto", NoEnvironment, MissingFftw, MissingOpenBlas));
        Assert.Contains("apt-get install libfftw3-double3", fft.Message);
        Assert.Contains("execution.fft or EPHYS_FFT", fft.Message);
        var blas = Assert.Throws<NativeLibraryMissingException>(() => BackendSelector.Select("managed", "openblas", NoEnvironment, MissingFftw, MissingOpenBlas));
        Assert.Contains("apt-get install libopenblas0", blas.Message);
    }

    [Fact]
    public void EnvironmentOverridesTheConfig()
    {
        var selection = BackendSelector.Select("fftw", "openblas", v => v == BackendSelector.FftVariable ? "Managed" : v == BackendSelector.BlasVariable ? "managed" : null);
        Assert.Same(FftSharpProvider.Shared, selection.Backends.Fft);
        Assert.Same(ManagedBlasProvider.Instance, selection.Backends.Blas);
        Assert.Equal("managed", selection.FftRequest);
        Assert.Empty(selection.Warnings);
    }

    [Fact]
    public void UnknownEnvironmentValueIsBadInput()
    {
        var e = Assert.Throws<EphysInputException>(() => BackendSelector.Select("auto", "auto", v => v == BackendSelector.FftVariable ? "mkl" : null));
        Assert.Contains("EPHYS_FFT", e.Message);
        Assert.Contains("auto, fftw, managed", e.Message);
    }

    [Fact]
    public void DoctorListsLibrariesVersionsAndChosenBackends()
    {
        var output = new StringWriter();
        DoctorCommand.Write(output, new AnalysisConfig { Execution = new ExecutionSection { Fft = "managed" } });
        var text = output.ToString();
        Assert.Contains("HDF5: found, 1.", text);
        Assert.Contains("FFTW (double and single): found, fftw-3", text);
        Assert.Contains("OpenBLAS: found, OpenBLAS", text);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BackendSelector.FftVariable)))
            Assert.Contains("fft (execution.fft: managed): fftsharp-2.2.0", text);
        Assert.Contains("blas (", text);
    }

    [Fact]
    public void DoctorCommandExitsOk()
    {
        var previous = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            Assert.Equal(EphysCli.Ok, EphysCli.Run(["doctor"], new StringWriter()));
        }
        finally
        {
            Console.SetOut(previous);
        }
        Assert.Contains("backends:", output.ToString());
    }
}
