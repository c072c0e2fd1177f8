using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>H5DSpublic.h (the high-level dimension-scale library, libhdf5_hl).</summary>
internal static partial class H5DS
{
    [LibraryImport(Hdf5Library.HighLevelName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5DSset_scale(H5DatasetHandle scale, string dimensionName);

    [LibraryImport(Hdf5Library.HighLevelName)]
    internal static partial int H5DSattach_scale(H5DatasetHandle dataset, H5DatasetHandle scale, uint dimension);

    [LibraryImport(Hdf5Library.HighLevelName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5DSset_label(H5DatasetHandle dataset, uint dimension, string label);
}
