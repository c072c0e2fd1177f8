using EphysPipeline.Backends.Managed;
using EphysPipeline.Core;
using EphysPipeline.Core.Blas;
using EphysPipeline.Core.Fft;
using EphysPipeline.Native.Fftw;
using EphysPipeline.Native.OpenBlas;

namespace EphysPipeline.Backends;

/// <summary>The backends picked for a run, with the one-line warnings a fallback printed and where each choice came from.</summary>
public sealed record BackendSelection(ComputeBackends Backends, IReadOnlyList<string> Warnings, string FftRequest, string BlasRequest);

/// <summary>
/// The composition root's choice of FFT and BLAS backends (MathNet's provider pattern): the config's execution.fft /
/// execution.blas, overridden by EPHYS_FFT / EPHYS_BLAS. "auto" takes the native library when it loads and otherwise
/// the managed provider with a warning; naming the native one makes a missing library a startup error.
/// </summary>
public static class BackendSelector
{
    public const string FftVariable = "EPHYS_FFT";
    public const string BlasVariable = "EPHYS_BLAS";

    public const string FftFallbackWarning =
        "FFTW not found, using the managed FFT (FftSharp): spectra, filters and Hilbert transforms run several times slower; "
        + "install FFTW with: apt-get install libfftw3-double3 libfftw3-single3";

    public const string BlasFallbackWarning =
        "OpenBLAS not found, using the managed BLAS: all-pairs phase-locking runs much slower; install OpenBLAS with: apt-get install libopenblas0";

    /// <summary>Picks the backends for <paramref name="configFft"/> / <paramref name="configBlas"/>, environment first.</summary>
    public static BackendSelection Select(string configFft, string configBlas, Func<string, string?>? environment = null) =>
        Select(configFft, configBlas, environment ?? Environment.GetEnvironmentVariable, () => FftwProvider.Shared, () => OpenBlasProvider.Shared);

    /// <summary>As above, with the native providers made by <paramref name="fftw"/> and <paramref name="openBlas"/> (tests stand a missing library in with one that throws).</summary>
    public static BackendSelection Select(string configFft, string configBlas, Func<string, string?> environment,
        Func<IFftProvider> fftw, Func<IBlasProvider> openBlas)
    {
        var warnings = new List<string>();
        string fftRequest = Request(FftVariable, "execution.fft", configFft, ["auto", "fftw", "managed"], environment);
        string blasRequest = Request(BlasVariable, "execution.blas", configBlas, ["auto", "openblas", "managed"], environment);
        IFftProvider fft = fftRequest switch
        {
            "managed" => FftSharpProvider.Shared,
            "fftw" => Required(fftw, "execution.fft", FftVariable),
            _ => TryNative(fftw) ?? Fallback(FftSharpProvider.Shared, FftFallbackWarning, warnings),
        };
        IBlasProvider blas = blasRequest switch
        {
            "managed" => ManagedBlasProvider.Instance,
            "openblas" => Required(openBlas, "execution.blas", BlasVariable),
            _ => TryNative(openBlas) ?? Fallback(ManagedBlasProvider.Instance, BlasFallbackWarning, warnings),
        };
        return new BackendSelection(new ComputeBackends(fft, blas), warnings, fftRequest, blasRequest);
    }

    private static string Request(string variable, string key, string configValue, string[] allowed, Func<string, string?> environment)
    {
        var fromEnvironment = environment(variable);
        if (string.IsNullOrWhiteSpace(fromEnvironment)) return configValue;
        var value = fromEnvironment.Trim().ToLowerInvariant();
        if (!allowed.Contains(value))
            throw new EphysInputException(null, variable, $"'{fromEnvironment}' is not one of {string.Join(", ", allowed)} (it overrides {key})");
        return value;
    }

    private static T Required<T>(Func<T> create, string key, string variable)
    {
        try
        {
            return create();
        }
        catch (NativeLibraryMissingException e)
        {
            throw new NativeLibraryMissingException(e.Library, e.AptPackage, $"{e.Tried}; asked for by {key} or {variable}");
        }
    }

    private static T? TryNative<T>(Func<T> create) where T : class
    {
        try
        {
            return create();
        }
        catch (NativeLibraryMissingException)
        {
            return null;
        }
    }

    private static T Fallback<T>(T managed, string warning, List<string> warnings)
    {
        warnings.Add(warning);
        return managed;
    }
}
