using EphysPipeline.Core;
using EphysPipeline.Native.Fftw;
using EphysPipeline.Native.Hdf5;
using EphysPipeline.Native.OpenBlas;

namespace EphysPipeline.Backends;

/// <summary>One native library: found or not, its version, or the apt-get line that installs it.</summary>
public sealed record NativeLibraryStatus(string Name, bool Found, string Detail);

/// <summary>Probes the native libraries the pipeline can use, for `ephys doctor`.</summary>
public static class NativeLibraries
{
    public static IReadOnlyList<NativeLibraryStatus> Probe() =>
    [
        Status("HDF5", () => Hdf5File.LibraryVersion),
        Status("FFTW (double and single)", () => FftwProvider.Shared.Name),
        Status("OpenBLAS", () => OpenBlasProvider.Shared.Name),
    ];

    private static NativeLibraryStatus Status(string name, Func<string> version)
    {
        try
        {
            return new NativeLibraryStatus(name, true, version());
        }
        catch (NativeLibraryMissingException e)
        {
            return new NativeLibraryStatus(name, false, $"not found ({e.Tried}); install with: apt-get install {e.AptPackage}");
        }
    }
}
