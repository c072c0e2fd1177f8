using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5Ppublic.h.</summary>
internal static unsafe partial class H5P
{
    internal const int LayoutCompact = 0, LayoutContiguous = 1, LayoutChunked = 2, LayoutVirtual = 3;

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5PropertyListHandle H5Pcreate(long propertyClass);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_chunk(H5PropertyListHandle datasetCreate, int rank, ulong* dims);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pget_chunk(H5PropertyListHandle datasetCreate, int maxRank, ulong* dims);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pget_layout(H5PropertyListHandle datasetCreate);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_deflate(H5PropertyListHandle datasetCreate, uint level);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_shuffle(H5PropertyListHandle datasetCreate);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pget_nfilters(H5PropertyListHandle datasetCreate);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pget_filter2(H5PropertyListHandle datasetCreate, uint index, out uint flags, ref nuint valueCount, uint* values, nuint nameLength, byte* name, out uint filterConfig);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_chunk_cache(H5PropertyListHandle datasetAccess, nuint slots, nuint bytes, double preemption);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_create_intermediate_group(H5PropertyListHandle linkCreate, uint create);

    /// <summary>Object headers without access/modification times, so the same content gives byte-identical files.</summary>
    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_obj_track_times(H5PropertyListHandle objectCreate, [MarshalAs(UnmanagedType.U1)] bool track);

    internal const int CloseStrong = 3;

    /// <summary>H5F_CLOSE_STRONG: closing the file closes every object still open in it, so a writer that is done is done.</summary>
    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_fclose_degree(H5PropertyListHandle fileAccess, int degree);

    /// <summary>The core (memory) driver; with backing_store false nothing is ever written to disk by libhdf5.</summary>
    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pset_fapl_core(H5PropertyListHandle fileAccess, nuint increment, [MarshalAs(UnmanagedType.U1)] bool backingStore);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Pclose(long propertyListId);
}
