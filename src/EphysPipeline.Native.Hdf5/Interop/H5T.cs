using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5Tpublic.h.</summary>
internal static partial class H5T
{
    internal const int ClassInteger = 0, ClassFloat = 1, ClassTime = 2, ClassString = 3, ClassBitfield = 4, ClassOpaque = 5,
        ClassCompound = 6, ClassReference = 7, ClassEnum = 8, ClassVlen = 9, ClassArray = 10;
    internal const int SignNone = 0;            // H5T_SGN_NONE
    internal const int CharsetUtf8 = 1;         // H5T_CSET_UTF8
    internal const int PadNullTerminated = 0, PadNull = 1, PadSpace = 2; // H5T_STR_*
    internal static readonly nuint Variable = nuint.MaxValue; // H5T_VARIABLE

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tget_class(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial nuint H5Tget_size(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tget_sign(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tequal(H5TypeHandle type1, H5TypeHandle type2);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tis_variable_str(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tget_cset(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tget_strpad(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5TypeHandle H5Tcopy(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tset_size(H5TypeHandle type, nuint size);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tset_cset(H5TypeHandle type, int charset);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tset_strpad(H5TypeHandle type, int padding);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial H5TypeHandle H5Tget_super(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tget_array_ndims(H5TypeHandle type);

    [LibraryImport(Hdf5Library.Name)]
    internal static unsafe partial int H5Tget_array_dims2(H5TypeHandle type, ulong* dims);

    [LibraryImport(Hdf5Library.Name)]
    internal static unsafe partial H5TypeHandle H5Tarray_create2(H5TypeHandle baseType, uint rank, ulong* dims);

    [LibraryImport(Hdf5Library.Name)]
    internal static partial int H5Tclose(long typeId);
}
