using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5Dpublic.h.</summary>
internal static unsafe partial class H5D
{
    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial H5DatasetHandle H5Dcreate2(Hdf5Handle location, string name, H5TypeHandle type, H5SpaceHandle space, H5PropertyListHandle linkCreate, H5PropertyListHandle datasetCreate, H5PropertyListHandle datasetAccess);

    [LibraryImport(Hdf5Library.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial H5DatasetHandle H5Dopen2(Hdf5Handle location, string name, H5PropertyListHandle datasetAccess);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5SpaceHandle H5Dget_space(H5DatasetHandle dataset);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5TypeHandle H5Dget_type(H5DatasetHandle dataset);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5PropertyListHandle H5Dget_create_plist(H5DatasetHandle dataset);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial ulong H5Dget_storage_size(H5DatasetHandle dataset);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dread(H5DatasetHandle dataset, H5TypeHandle memoryType, H5SpaceHandle memorySpace, H5SpaceHandle fileSpace, H5PropertyListHandle transfer, void* buffer);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dwrite(H5DatasetHandle dataset, H5TypeHandle memoryType, H5SpaceHandle memorySpace, H5SpaceHandle fileSpace, H5PropertyListHandle transfer, void* buffer);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dset_extent(H5DatasetHandle dataset, ulong* size);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dget_num_chunks(H5DatasetHandle dataset, H5SpaceHandle fileSpace, out ulong count);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dget_chunk_info(H5DatasetHandle dataset, H5SpaceHandle fileSpace, ulong index, ulong* offset, out uint filterMask, out ulong address, out ulong size);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dget_chunk_storage_size(H5DatasetHandle dataset, ulong* offset, out ulong size);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dread_chunk(H5DatasetHandle dataset, H5PropertyListHandle transfer, ulong* offset, out uint filters, void* buffer);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dwrite_chunk(H5DatasetHandle dataset, H5PropertyListHandle transfer, uint filters, ulong* offset, nuint size, void* buffer);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Dclose(long datasetId);
}
