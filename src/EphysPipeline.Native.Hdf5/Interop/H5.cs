using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5public.h, plus the status checks every call goes through.</summary>
internal static partial class H5
{
    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5open();

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5dont_atexit();

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5get_libversion(out uint major, out uint minor, out uint release);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5free_memory(IntPtr memory);

    /// <summary>Throws <see cref="Hdf5Exception"/> with HDF5's own error stack when <paramref name="status"/> is negative.</summary>
    internal static int Check(int status, string call)
    {
        if (status < 0) throw new Hdf5Exception(call, H5E.TakeStack());
        return status;
    }

    internal static long Check(long status, string call)
    {
        if (status < 0) throw new Hdf5Exception(call, H5E.TakeStack());
        return status;
    }

    internal static T Check<T>(T handle, string call) where T : Hdf5Handle
    {
        if (handle.IsInvalid)
        {
            handle.SetHandleAsInvalid();
            throw new Hdf5Exception(call, H5E.TakeStack());
        }
        return handle;
    }

    /// <summary>htri_t: true, false, or a checked failure.</summary>
    internal static bool CheckBool(int status, string call) => Check(status, call) > 0;
}
