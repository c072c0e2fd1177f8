using System.Reflection;
using System.Runtime.InteropServices;
using EphysPipeline.Core;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>
/// Loads libhdf5 (1.10 ABI: hid_t is int64), calls H5open, reads the exported type and property-class globals,
/// and silences HDF5's default error printer on each thread (the error stack is per thread in thread-safe builds).
/// Override the library path with EPHYS_HDF5_LIB.
/// </summary>
internal static class Hdf5Library
{
    internal const string Name = "hdf5";
    internal const string HighLevelName = "hdf5_hl";
    private const string AptPackage = "libhdf5-103-1";
    private const string HighLevelAptPackage = "libhdf5-hl-100";
    private static readonly string[] Candidates = ["libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5.so.310", "libhdf5.so"];
    private static readonly string[] HighLevelCandidates = ["libhdf5_serial_hl.so.100", "libhdf5_hl.so.100", "libhdf5_hl.so.310", "libhdf5_hl.so"];
    private static readonly Lazy<IntPtr> LibraryHandle = new(Load);
    // Loaded on first use: only writing dimension scales needs it.
    private static readonly Lazy<IntPtr> HighLevelHandle = new(LoadHighLevel);
    private static readonly Lazy<Globals> GlobalIds = new(ReadGlobals);

    [ThreadStatic] private static bool threadReady;

    static Hdf5Library() => NativeLibrary.SetDllImportResolver(typeof(Hdf5Library).Assembly, Resolve);

    internal static Globals Ids => GlobalIds.Value;

    /// <summary>Loads and opens the library once, then turns off automatic error printing for this thread.</summary>
    internal static void Enter()
    {
        if (threadReady) return;
        _ = GlobalIds.Value;
        H5E.SilenceDefaultStack();
        threadReady = true;
    }

    internal static string Version()
    {
        Enter();
        H5.Check(H5.H5get_libversion(out var major, out var minor, out var release), "H5get_libversion");
        return $"{major}.{minor}.{release}";
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        Name => LibraryHandle.Value,
        HighLevelName => HighLevelHandle.Value,
        _ => IntPtr.Zero,
    };

    private static IntPtr Load()
    {
        var overridePath = Environment.GetEnvironmentVariable("EPHYS_HDF5_LIB");
        string[] names = string.IsNullOrWhiteSpace(overridePath) ? Candidates : [overridePath];
        foreach (var candidate in names)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new NativeLibraryMissingException(names[0], AptPackage, string.Join(", ", names));
    }

    private static IntPtr LoadHighLevel()
    {
        _ = LibraryHandle.Value;
        var overridePath = Environment.GetEnvironmentVariable("EPHYS_HDF5_HL_LIB");
        string[] names = string.IsNullOrWhiteSpace(overridePath) ? HighLevelCandidates : [overridePath];
        foreach (var candidate in names)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new NativeLibraryMissingException(names[0], HighLevelAptPackage, string.Join(", ", names));
    }

    private static Globals ReadGlobals()
    {
        var library = LibraryHandle.Value;
        // No exit handler: at exit it closes every file still registered, and a file whose H5Fclose failed (its last
        // flush hit a full or failing disk) stays registered with its memory already freed, so the handler segfaults.
        // Every file this program writes is closed explicitly before it is renamed into place; nothing is left to flush.
        H5.Check(H5.H5dont_atexit(), "H5dont_atexit");
        // The globals hold valid ids only after H5open has run.
        H5.Check(H5.H5open(), "H5open");
        return new Globals(library);
    }

    /// <summary>The library's predefined type and property-class ids (borrowed: never closed).</summary>
    internal sealed class Globals(IntPtr library)
    {
        internal readonly H5TypeHandle NativeInt8 = Type(library, "H5T_NATIVE_INT8_g");
        internal readonly H5TypeHandle NativeUInt8 = Type(library, "H5T_NATIVE_UINT8_g");
        internal readonly H5TypeHandle NativeInt16 = Type(library, "H5T_NATIVE_INT16_g");
        internal readonly H5TypeHandle NativeUInt16 = Type(library, "H5T_NATIVE_UINT16_g");
        internal readonly H5TypeHandle NativeInt32 = Type(library, "H5T_NATIVE_INT32_g");
        internal readonly H5TypeHandle NativeUInt32 = Type(library, "H5T_NATIVE_UINT32_g");
        internal readonly H5TypeHandle NativeInt64 = Type(library, "H5T_NATIVE_INT64_g");
        internal readonly H5TypeHandle NativeUInt64 = Type(library, "H5T_NATIVE_UINT64_g");
        internal readonly H5TypeHandle NativeFloat = Type(library, "H5T_NATIVE_FLOAT_g");
        internal readonly H5TypeHandle NativeDouble = Type(library, "H5T_NATIVE_DOUBLE_g");
        internal readonly H5TypeHandle StdI8 = Type(library, "H5T_STD_I8LE_g");
        internal readonly H5TypeHandle StdU8 = Type(library, "H5T_STD_U8LE_g");
        internal readonly H5TypeHandle StdI16 = Type(library, "H5T_STD_I16LE_g");
        internal readonly H5TypeHandle StdU16 = Type(library, "H5T_STD_U16LE_g");
        internal readonly H5TypeHandle StdI32 = Type(library, "H5T_STD_I32LE_g");
        internal readonly H5TypeHandle StdU32 = Type(library, "H5T_STD_U32LE_g");
        internal readonly H5TypeHandle StdI64 = Type(library, "H5T_STD_I64LE_g");
        internal readonly H5TypeHandle StdU64 = Type(library, "H5T_STD_U64LE_g");
        internal readonly H5TypeHandle IeeeF32 = Type(library, "H5T_IEEE_F32LE_g");
        internal readonly H5TypeHandle IeeeF64 = Type(library, "H5T_IEEE_F64LE_g");
        internal readonly H5TypeHandle CString = Type(library, "H5T_C_S1_g");
        internal readonly H5TypeHandle ObjectReference = Type(library, "H5T_STD_REF_OBJ_g");
        internal readonly long DatasetCreateClass = Id(library, "H5P_CLS_DATASET_CREATE_ID_g");
        internal readonly long DatasetAccessClass = Id(library, "H5P_CLS_DATASET_ACCESS_ID_g");
        internal readonly long FileCreateClass = Id(library, "H5P_CLS_FILE_CREATE_ID_g");
        internal readonly long GroupCreateClass = Id(library, "H5P_CLS_GROUP_CREATE_ID_g");
        internal readonly long LinkCreateClass = Id(library, "H5P_CLS_LINK_CREATE_ID_g");
        internal readonly long FileAccessClass = Id(library, "H5P_CLS_FILE_ACCESS_ID_g");

        private static long Id(IntPtr library, string symbol) =>
            Marshal.ReadInt64(NativeLibrary.GetExport(library, symbol));

        private static H5TypeHandle Type(IntPtr library, string symbol) => H5TypeHandle.Borrowed(Id(library, symbol));
    }
}
