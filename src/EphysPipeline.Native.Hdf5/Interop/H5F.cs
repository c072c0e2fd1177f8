using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5Fpublic.h.</summary>
internal static partial class H5F
{
    internal const uint AccessReadOnly = 0x0000;  // H5F_ACC_RDONLY
    internal const uint AccessReadWrite = 0x0001; // H5F_ACC_RDWR
    internal const uint AccessTruncate = 0x0002;  // H5F_ACC_TRUNC
    internal const uint AccessExclusive = 0x0004; // H5F_ACC_EXCL
    internal const int ScopeLocal = 0;             // H5F_SCOPE_LOCAL

    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5Fis_hdf5(string fileName);

    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial H5FileHandle H5Fopen(string fileName, uint flags, H5PropertyListHandle fileAccess);

    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial H5FileHandle H5Fcreate(string fileName, uint flags, H5PropertyListHandle fileCreate, H5PropertyListHandle fileAccess);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Fflush(Hdf5Handle objectId, int scope);

    /// <summary>Copies the file's image (a core-driver file's whole content) into buffer; with a null buffer, returns its size.</summary>
    [LibraryImport(Hdf5Library.Name)]
    internal static unsafe partial nint H5Fget_file_image(H5FileHandle file, void* buffer, nuint size);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Fclose(long fileId);

    /// <summary>The driver's handle of the file: for the default (sec2) driver, a pointer to its POSIX descriptor.</summary>
    [LibraryImport(Hdf5Library.Name)]
    internal static unsafe partial int H5Fget_vfd_handle(H5FileHandle file, H5PropertyListHandle fileAccess, void** fileHandle);
}
