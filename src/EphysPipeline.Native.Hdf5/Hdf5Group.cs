using System.Runtime.InteropServices;
using System.Text;
using EphysPipeline.Native.Hdf5.Interop;

namespace EphysPipeline.Native.Hdf5;

/// <summary>A group (or a file's root). Paths may be relative to the group or absolute ("/a/b").</summary>
public unsafe class Hdf5Group : Hdf5Object
{
    private protected Hdf5Group(Hdf5Handle handle) : base(handle) { }

    /// <summary>The group's links in name order, with what each resolves to.</summary>
    public IReadOnlyList<Hdf5Member> Members()
    {
        Hdf5Library.Enter();
        var call = Call("H5Literate", Path);
        var links = new List<(string Name, int Type)>();
        var handle = GCHandle.Alloc(links);
        try
        {
            ulong index = 0;
            H5.Check(H5L.H5Literate(Handle, H5L.IndexName, H5L.OrderIncreasing, &index, &CollectLink, GCHandle.ToIntPtr(handle)), call);
        }
        finally
        {
            handle.Free();
        }
        return links.Select(link => new Hdf5Member(
            link.Name,
            link.Type == H5L.TypeExternal ? Hdf5ObjectKind.ExternalLink : ResolvedKind(link.Name),
            link.Type == H5L.TypeSoft ? SoftLinkValue(link.Name) : null)).ToList();
    }

    [UnmanagedCallersOnly]
    private static int CollectLink(long group, byte* name, H5L.LinkInfo* info, IntPtr data)
    {
        ((List<(string, int)>)GCHandle.FromIntPtr(data).Target!).Add((Marshal.PtrToStringUTF8((IntPtr)name) ?? "", info->Type));
        return 0;
    }

    /// <summary>True when every link along <paramref name="path"/> exists (a dangling soft link counts as existing).</summary>
    public bool Exists(string path)
    {
        Hdf5Library.Enter();
        var prefix = path.StartsWith('/') ? "/" : "";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            prefix = prefix.Length == 0 || prefix == "/" ? prefix + part : prefix + "/" + part;
            if (!H5.CheckBool(H5L.H5Lexists(Handle, prefix, H5PropertyListHandle.Default), Call("H5Lexists", prefix))) return false;
        }
        return true;
    }

    /// <summary>What <paramref name="path"/> resolves to; <see cref="Hdf5ObjectKind.Missing"/> when it does not exist.</summary>
    public Hdf5ObjectKind KindOf(string path) => Exists(path) ? ResolvedKind(path) : Hdf5ObjectKind.Missing;

    /// <summary>Opens a subgroup.</summary>
    public Hdf5Group OpenGroup(string path)
    {
        Hdf5Library.Enter();
        return new Hdf5Group(H5.Check(H5G.H5Gopen2(Handle, path, H5PropertyListHandle.Default), Call("H5Gopen2", path)));
    }

    /// <summary>Creates a group, and any missing groups above it.</summary>
    public Hdf5Group CreateGroup(string path)
    {
        Hdf5Library.Enter();
        using var linkCreate = IntermediateGroups();
        using var groupCreate = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.GroupCreateClass), Call("H5Gcreate2", path));
        H5.Check(H5P.H5Pset_obj_track_times(groupCreate, false), Call("H5Gcreate2", path));
        return new Hdf5Group(H5.Check(H5G.H5Gcreate2(Handle, path, linkCreate, groupCreate, H5PropertyListHandle.Default), Call("H5Gcreate2", path)));
    }

    /// <summary>
    /// Copies a chunked dataset (type, shape, chunking and filters) from another file to <paramref name="path"/> here,
    /// each chunk as stored, without decompressing and compressing it again. Every step is a checked call: H5Ocopy
    /// does the same, but libhdf5 1.10 segfaults in H5Ocopy's cleanup when a write inside it fails (a full disk).
    /// </summary>
    public Hdf5Dataset CopyChunkedDataset(Hdf5Dataset source, string path)
    {
        Hdf5Library.Enter();
        var call = Call("H5Dwrite_chunk", path);
        var from = (H5DatasetHandle)source.Handle;
        using var type = H5.Check(H5D.H5Dget_type(from), call);
        using var space = H5.Check(H5D.H5Dget_space(from), call);
        using var create = H5.Check(H5D.H5Dget_create_plist(from), call);
        if (H5.Check(H5P.H5Pget_layout(create), call) != H5P.LayoutChunked)
            throw new ArgumentException($"{call}: {source.Path} is not chunked", nameof(source));
        H5.Check(H5P.H5Pset_obj_track_times(create, false), call);
        using var linkCreate = IntermediateGroups();
        var copy = new Hdf5Dataset(H5.Check(H5D.H5Dcreate2(Handle, path, type, space, linkCreate, create, H5PropertyListHandle.Default), Call("H5Dcreate2", path)));
        try
        {
            var to = (H5DatasetHandle)copy.Handle;
            var rank = H5.Check(H5S.H5Sget_simple_extent_ndims(space), call);
            var offset = stackalloc ulong[Math.Max(1, rank)];
            H5.Check(H5D.H5Dget_num_chunks(from, space, out var chunks), call);
            byte[] buffer = [];
            for (ulong i = 0; i < chunks; i++)
            {
                H5.Check(H5D.H5Dget_chunk_info(from, space, i, offset, out _, out _, out var size), call);
                if (buffer.Length < (long)size) buffer = new byte[(long)size];
                fixed (byte* data = buffer)
                {
                    H5.Check(H5D.H5Dread_chunk(from, H5PropertyListHandle.Default, offset, out var filters, data), Call("H5Dread_chunk", source.Path));
                    H5.Check(H5D.H5Dwrite_chunk(to, H5PropertyListHandle.Default, filters, offset, (nuint)size, data), call);
                }
            }
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Opens the group if it exists, else creates it.</summary>
    public Hdf5Group OpenOrCreateGroup(string path) => Exists(path) ? OpenGroup(path) : CreateGroup(path);

    /// <summary>
    /// Opens a dataset. A positive <paramref name="chunkCacheBytes"/> sizes its chunk cache (HDF5's default is 1 MiB),
    /// so a block read touching many chunks decompresses each once.
    /// </summary>
    public Hdf5Dataset OpenDataset(string path, long chunkCacheBytes = 0)
    {
        Hdf5Library.Enter();
        var call = Call("H5Dopen2", path);
        if (chunkCacheBytes <= 0) return new Hdf5Dataset(H5.Check(H5D.H5Dopen2(Handle, path, H5PropertyListHandle.Default), call));
        using var access = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.DatasetAccessClass), call);
        // w0 = 1: chunks already read whole are evicted first, which suits one forward pass.
        H5.Check(H5P.H5Pset_chunk_cache(access, 10007, (nuint)chunkCacheBytes, 1.0), call);
        return new Hdf5Dataset(H5.Check(H5D.H5Dopen2(Handle, path, access), call));
    }

    /// <summary>
    /// Creates a numeric dataset of <paramref name="shape"/>. With <paramref name="chunks"/> it is chunked, and
    /// <paramref name="gzipLevel"/> 0–9 adds deflate (with <paramref name="shuffle"/> before it if asked);
    /// <paramref name="growable"/> makes the first dimension unlimited (needs chunks) so <see cref="Hdf5Dataset.Extend"/> works.
    /// </summary>
    public Hdf5Dataset CreateDataset<T>(string path, ReadOnlySpan<long> shape, ReadOnlySpan<long> chunks = default,
        int gzipLevel = -1, bool shuffle = false, bool growable = false) where T : unmanaged
    {
        Hdf5Library.Enter();
        var call = Call("H5Dcreate2", path);
        if (growable && chunks.IsEmpty) throw new ArgumentException("a growable dataset needs chunks", nameof(chunks));
        if (!chunks.IsEmpty && chunks.Length != shape.Length) throw new ArgumentException("chunks must have the dataset's rank", nameof(chunks));
        var rank = shape.Length;
        var dims = stackalloc ulong[Math.Max(1, rank)];
        var maxDims = stackalloc ulong[Math.Max(1, rank)];
        for (var i = 0; i < rank; i++)
        {
            dims[i] = (ulong)shape[i];
            maxDims[i] = growable && i == 0 ? H5S.Unlimited : (ulong)shape[i];
        }
        using var space = rank == 0
            ? H5.Check(H5S.H5Screate(H5S.Scalar), call)
            : H5.Check(H5S.H5Screate_simple(rank, dims, maxDims), call);
        using var create = UntimedDatasetCreate(call);
        if (!chunks.IsEmpty)
        {
            var chunkDims = stackalloc ulong[rank];
            for (var i = 0; i < rank; i++) chunkDims[i] = (ulong)Math.Max(1, chunks[i]);
            H5.Check(H5P.H5Pset_chunk(create, rank, chunkDims), call);
            if (shuffle) H5.Check(H5P.H5Pset_shuffle(create), call);
            if (gzipLevel >= 0) H5.Check(H5P.H5Pset_deflate(create, (uint)Math.Min(gzipLevel, 9)), call);
        }
        using var linkCreate = IntermediateGroups();
        return new Hdf5Dataset(H5.Check(H5D.H5Dcreate2(Handle, path, NativeTypes.File<T>(), space, linkCreate, create, H5PropertyListHandle.Default), call));
    }

    /// <summary>Creates and fills a numeric dataset (1-D of data.Length when <paramref name="shape"/> is empty).</summary>
    public void WriteDataset<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<long> shape = default, ReadOnlySpan<long> chunks = default,
        int gzipLevel = -1, bool shuffle = false) where T : unmanaged
    {
        ReadOnlySpan<long> dims = shape.IsEmpty ? [data.Length] : shape;
        using var dataset = CreateDataset<T>(path, dims, chunks, gzipLevel, shuffle);
        dataset.WriteAll(data);
    }

    /// <summary>Creates a scalar numeric dataset (e.g. NWB starting_time).</summary>
    public Hdf5Dataset WriteScalar<T>(string path, T value) where T : unmanaged
    {
        var dataset = CreateDataset<T>(path, []);
        dataset.WriteAll(new ReadOnlySpan<T>(in value));
        return dataset;
    }

    /// <summary>Creates a scalar string dataset (e.g. NWB identifier), variable length UTF-8 unless <paramref name="fixedLength"/>.</summary>
    public Hdf5Dataset WriteString(string path, string value, bool fixedLength = false) => CreateStrings(path, [value], scalar: true, fixedLength);

    /// <summary>Creates a 1-D string dataset (e.g. an electrodes <c>location</c> column).</summary>
    public Hdf5Dataset WriteStrings(string path, IReadOnlyList<string> values, bool fixedLength = false) => CreateStrings(path, values, scalar: false, fixedLength);

    /// <summary>Creates a 1-D object-reference dataset pointing at <paramref name="targetPaths"/> (e.g. an electrodes <c>group</c> column).</summary>
    public Hdf5Dataset WriteReferences(string path, IReadOnlyList<string> targetPaths)
    {
        Hdf5Library.Enter();
        var call = Call("H5Dcreate2", path);
        var references = ElementIo.CreateReferences(Handle, targetPaths, call);
        using var space = ElementIo.Space(scalar: false, targetPaths.Count, call);
        using var linkCreate = IntermediateGroups();
        var type = Hdf5Library.Ids.ObjectReference;
        using var create = UntimedDatasetCreate(call);
        var dataset = new Hdf5Dataset(H5.Check(H5D.H5Dcreate2(Handle, path, type, space, linkCreate, create, H5PropertyListHandle.Default), call));
        fixed (ulong* buffer = references)
            H5.Check(H5D.H5Dwrite((H5DatasetHandle)dataset.Handle, type, H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), Call("H5Dwrite", path));
        return dataset;
    }

    /// <summary>
    /// Copies the object at <paramref name="sourcePath"/> in <paramref name="source"/> (any file) with everything below it
    /// to <paramref name="path"/> here. H5Ocopy: use it into in-memory files only, since libhdf5 1.10 segfaults in its
    /// cleanup when a disk write inside it fails (<see cref="CopyChunkedDataset"/>).
    /// </summary>
    public void CopyObject(Hdf5Group source, string sourcePath, string path)
    {
        Hdf5Library.Enter();
        using var linkCreate = IntermediateGroups();
        H5.Check(H5O.H5Ocopy(source.Handle, sourcePath, Handle, path, H5PropertyListHandle.Default, linkCreate), Call("H5Ocopy", sourcePath));
    }

    /// <summary>Creates a soft link at <paramref name="path"/> to <paramref name="target"/> (which need not exist yet).</summary>
    public void CreateSoftLink(string path, string target)
    {
        Hdf5Library.Enter();
        using var linkCreate = IntermediateGroups();
        H5.Check(H5L.H5Lcreate_soft(target, Handle, path, linkCreate, H5PropertyListHandle.Default), Call("H5Lcreate_soft", path));
    }

    private Hdf5Dataset CreateStrings(string path, IReadOnlyList<string> values, bool scalar, bool fixedLength)
    {
        Hdf5Library.Enter();
        var call = Call("H5Dcreate2", path);
        using var type = ElementIo.StringType(values, fixedLength, call);
        using var space = ElementIo.Space(scalar, values.Count, call);
        using var linkCreate = IntermediateGroups();
        using var create = UntimedDatasetCreate(call);
        var dataset = new Hdf5Dataset(H5.Check(H5D.H5Dcreate2(Handle, path, type, space, linkCreate, create, H5PropertyListHandle.Default), call));
        var handle = (H5DatasetHandle)dataset.Handle;
        ElementIo.WriteStrings(type, values, fixedLength,
            (memory, buffer) => H5D.H5Dwrite(handle, memory, H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), Call("H5Dwrite", path));
        return dataset;
    }

    private Hdf5ObjectKind ResolvedKind(string path)
    {
        using var opened = H5O.H5Oopen(Handle, path, H5PropertyListHandle.Default);
        if (opened.IsInvalid)
        {
            opened.SetHandleAsInvalid();
            H5E.TakeStack(); // a dangling soft link: not an error, just nothing there
            return Hdf5ObjectKind.Missing;
        }
        return H5I.H5Iget_type(opened) switch
        {
            H5I.TypeGroup => Hdf5ObjectKind.Group,
            H5I.TypeDataset => Hdf5ObjectKind.Dataset,
            H5I.TypeDatatype => Hdf5ObjectKind.NamedDatatype,
            _ => Hdf5ObjectKind.Other,
        };
    }

    private string SoftLinkValue(string name)
    {
        var call = Call("H5Lget_val", name);
        H5.Check(H5L.H5Lget_info(Handle, name, out var info, H5PropertyListHandle.Default), call);
        var buffer = new byte[(int)info.AddressOrValueSize + 1];
        fixed (byte* value = buffer) H5.Check(H5L.H5Lget_val(Handle, name, value, (nuint)buffer.Length, H5PropertyListHandle.Default), call);
        var end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    private static H5PropertyListHandle UntimedDatasetCreate(string call)
    {
        var create = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.DatasetCreateClass), call);
        H5.Check(H5P.H5Pset_obj_track_times(create, false), call);
        return create;
    }

    private static H5PropertyListHandle IntermediateGroups()
    {
        var linkCreate = H5.Check(H5P.H5Pcreate(Hdf5Library.Ids.LinkCreateClass), "H5Pcreate(link create)");
        H5.Check(H5P.H5Pset_create_intermediate_group(linkCreate, 1), "H5Pset_create_intermediate_group");
        return linkCreate;
    }
}
