using System.Runtime.InteropServices;

namespace EphysPipeline.Native.Hdf5.Interop;

/// <summary>fcntl.h: the one libc call the HDF5 layer needs (descriptor flags of files libhdf5 opened).</summary>
internal static partial class Posix
{
    internal const int SetDescriptorFlags = 2; // F_SETFD
    internal const int CloseOnExec = 1;        // FD_CLOEXEC

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fcntl(int descriptor, int command, int argument);
}
