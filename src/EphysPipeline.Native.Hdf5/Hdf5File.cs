using EphysPipeline.Native.Hdf5.Interop;

namespace EphysPipeline.Native.Hdf5;

/// <summary>
/// An open HDF5 file; as a group it is the root "/". Dispose closes it: for a file opened to read, objects opened
/// from it stay valid until closed; for a created file, everything in it is closed and written (strong close).
/// </summary>
public sealed class Hdf5File : Hdf5Group
{
    private Hdf5File(H5FileHandle handle, string fileName) : base(handle) => FileName = fileName;

    /// <summary>The path the file was opened with.</summary>
    public string FileName { get; }

    /// <summary>The loaded libhdf5 version, e.g. "1.10.8".</summary>
    public static string LibraryVersion => Hdf5Library.Version();

    /// <summary>True when the file starts with an HDF5 signature (false for a missing or non-HDF5 file).</summary>
    public static bool IsHdf5(string path)
    {
        Hdf5Library.Enter();
        if (!File.Exists(path)) return false;
        var result = H5F.H5Fis_hdf5(path);
        if (result < 0) H5E.TakeStack();
        return result > 0;
    }

    public static Hdf5File OpenRead(string path) => Open(path, H5F.AccessReadOnly);

    public static Hdf5File OpenReadWrite(string path) => Open(path, H5F.AccessReadWrite);

    /// <summary>Creates a file, replacing an existing one unless <paramref name="overwrite"/> is false. Objects carry no timestamps.</summary>
    public static Hdf5File Create(string path, bool overwrite = true) => Create(path, overwrite, inMemory: false);

    /// <summary>
    /// Creates a file held in memory only (HDF5's core driver without a backing store): libhdf5 never touches the disk,
    /// so a full or failing disk cannot fail inside it. Save it with <see cref="WriteImage"/>.
    /// </summary>
    public static Hdf5File CreateInMemory(string name) => Create(name, overwrite: true, inMemory: true);

    /// <summary>Writes the whole file (as it would be on disk) to <paramref name="destination"/>; for files from <see cref="CreateInMemory"/>.</summary>
    public unsafe void WriteImage(Stream destination)
    {
        Hdf5Library.Enter();
        var call = $"H5Fget_file_image({FileName})";
        H5.Check(H5F.H5Fflush(Handle, H5F.ScopeLocal), call);
        var file = (H5FileHandle)Handle;
        var size = (long)H5.Check((long)H5F.H5Fget_file_image(file, null, 0), call);
        var buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Math.Max(1, size));
        try
        {
            H5.Check((long)H5F.H5Fget_file_image(file, buffer, (nuint)size), call);
            using var image = new UnmanagedMemoryStream(buffer, size);
            image.CopyTo(destination, 1 << 20);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
        }
    }

    private static Hdf5File Create(string path, bool overwrite, bool inMemory)
    {
        Hdf5Library.Enter();
        var call = $"H5Fcreate({path})";
        // No object times anywhere (root group included): the same content gives a byte-identical file.
        using var fileCreate = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.FileCreateClass), call);
        H5.Check(H5P.H5Pset_obj_track_times(fileCreate, false), call);
        // Strong close: disposing the file writes and closes everything, even objects a caller forgot to dispose,
        // so the file is complete on disk before it is renamed into place.
        using var fileAccess = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.FileAccessClass), call);
        H5.Check(H5P.H5Pset_fclose_degree(fileAccess, H5P.CloseStrong), call);
        if (inMemory) H5.Check(H5P.H5Pset_fapl_core(fileAccess, 1 << 20, backingStore: false), call);
        var handle = H5.Check(H5F.H5Fcreate(path, overwrite ? H5F.AccessTruncate : H5F.AccessExclusive,
            fileCreate, fileAccess), call);
        if (!inMemory) CloseOnExec(handle, call);
        return new Hdf5File(handle, path);
    }

    /// <summary>Writes buffered data to disk.</summary>
    public void Flush()
    {
        Hdf5Library.Enter();
        H5.Check(H5F.H5Fflush(Handle, H5F.ScopeLocal), $"H5Fflush({FileName})");
    }

    private static Hdf5File Open(string path, uint flags)
    {
        Hdf5Library.Enter();
        var handle = H5.Check(H5F.H5Fopen(path, flags, H5PropertyListHandle.Default), $"H5Fopen({path})");
        CloseOnExec(handle, $"H5Fopen({path})");
        return new Hdf5File(handle, path);
    }

    /// <summary>
    /// libhdf5 opens files without O_CLOEXEC, so a child process started meanwhile (a session worker) would inherit the
    /// descriptor and, with it, libhdf5's lock on the file until the child exits. Mark it close-on-exec.
    /// </summary>
    private static void CloseOnExec(H5FileHandle handle, string call)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            MarkCloseOnExec(handle, call);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static unsafe void MarkCloseOnExec(H5FileHandle handle, string call)
    {
        void* driverHandle = null;
        H5.Check(H5F.H5Fget_vfd_handle(handle, H5PropertyListHandle.Default, &driverHandle), call + ": H5Fget_vfd_handle");
        if (driverHandle is null) return;
        int descriptor = *(int*)driverHandle;
        if (Posix.fcntl(descriptor, Posix.SetDescriptorFlags, Posix.CloseOnExec) != 0)
            throw new Hdf5Exception(call + ": fcntl", $"cannot mark the file close-on-exec (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
    }
}
