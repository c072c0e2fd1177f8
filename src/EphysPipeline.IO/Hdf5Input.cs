using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>Opening an input file: the checks made before HDF5 sees it, and HDF5 failures turned into bad-input errors.</summary>
internal static class Hdf5Input
{
    /// <summary>
    /// Opens <paramref name="path"/> read-only, or throws a one-line <see cref="EphysInputException"/>.
    /// <paramref name="checkHeaps"/> false skips the global-heap walk for a file this process has just checked;
    /// <paramref name="threads"/> scan the file for it at once.
    /// </summary>
    internal static Hdf5File Open(string path, bool checkHeaps = true, int threads = 1)
    {
        if (Directory.Exists(path)) throw new EphysInputException(path, null, "is a directory, not a file");
        if (!File.Exists(path)) throw new EphysInputException(path, null, "file not found");
        var length = new FileInfo(path).Length;
        if (length == 0) throw new EphysInputException(path, null, "empty file (0 bytes)");
        if (!Hdf5File.IsHdf5(path)) throw new EphysInputException(path, null, "not an HDF5 file (no HDF5 signature)");
        if (checkHeaps && Hdf5Integrity.FindGlobalHeapDamage(path, threads) is { } damage) throw new EphysInputException(path, null, $"damaged: {damage}");
        try
        {
            return Hdf5File.OpenRead(path);
        }
        catch (Hdf5Exception error)
        {
            throw new EphysInputException(path, null, $"cannot be opened as HDF5: {error.Hdf5Message}", error);
        }
    }

    /// <summary>
    /// Runs an HDF5 read, reporting a failure as bad input in <paramref name="dataset"/> (null: the object the failed
    /// call names). Public reads of a file are wrapped whole, so a damaged object no inner guard expected is still bad input.
    /// </summary>
    internal static T Guard<T>(string file, string? dataset, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Hdf5Exception error)
        {
            throw new EphysInputException(file, dataset ?? ObjectOf(error.Call), $"unreadable: {error.Hdf5Message}", error);
        }
    }

    /// <summary>"/a/b" of "H5Lexists(/a/b)", or null.</summary>
    private static string? ObjectOf(string call)
    {
        int open = call.IndexOf('('), close = call.LastIndexOf(')');
        return open >= 0 && close > open + 1 ? call[(open + 1)..close] : null;
    }

    /// <summary>A string attribute's first value (string or string-array conventions), or null when absent or not text.</summary>
    internal static string? StringAttribute(Hdf5Object owner, string name)
    {
        try
        {
            if (!owner.HasAttribute(name)) return null;
            var values = owner.ReadAttributeStrings(name);
            return values.Length == 0 ? null : values[0];
        }
        catch (Hdf5Exception)
        {
            return null;
        }
    }

    internal static double? NumberAttribute(Hdf5Object owner, string name)
    {
        try
        {
            return owner.HasAttribute(name) ? owner.ReadAttributeScalar<double>(name) : null;
        }
        catch (Hdf5Exception)
        {
            return null;
        }
    }
}
