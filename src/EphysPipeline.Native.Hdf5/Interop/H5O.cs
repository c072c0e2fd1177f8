using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5Opublic.h.</summary>
internal static partial class H5O
{
    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial H5ObjectHandle H5Oopen(Hdf5Handle location, string name, H5PropertyListHandle linkAccess);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Oclose(long objectId);

    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5Ocopy(Hdf5Handle sourceLocation, string sourceName, Hdf5Handle destinationLocation, string destinationName,
        H5PropertyListHandle objectCopy, H5PropertyListHandle linkCreate);
}
