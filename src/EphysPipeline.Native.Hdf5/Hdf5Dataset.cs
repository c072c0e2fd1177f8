using System.Text;
using EphysPipeline.Native.Hdf5.Interop;

namespace EphysPipeline.Native.Hdf5;

/// <summary>A dataset: shape, storage and typed hyperslab reads/writes (HDF5 converts between stored and memory types).</summary>
public sealed unsafe class Hdf5Dataset : Hdf5Object
{
    internal Hdf5Dataset(H5DatasetHandle handle) : base(handle) { }

    private H5DatasetHandle Dataset => (H5DatasetHandle)Handle;

    /// <summary>Current dimensions; empty for a scalar dataset.</summary>
    public long[] Shape
    {
        get
        {
            Hdf5Library.Enter();
            using var space = H5.Check(H5D.H5Dget_space(Dataset), "H5Dget_space");
            return ElementIo.Dims(space, "H5Dget_space");
        }
    }

    /// <summary>Number of elements (1 for a scalar, 0 for a null dataspace).</summary>
    public long ElementCount
    {
        get
        {
            Hdf5Library.Enter();
            using var space = H5.Check(H5D.H5Dget_space(Dataset), "H5Dget_space");
            return ElementIo.ElementCount(space, "H5Dget_space");
        }
    }

    /// <summary>The stored element type.</summary>
    public Hdf5ElementType ElementType
    {
        get
        {
            Hdf5Library.Enter();
            using var type = H5.Check(H5D.H5Dget_type(Dataset), "H5Dget_type");
            return NativeTypes.Describe(type);
        }
    }

    public Hdf5Layout Layout
    {
        get
        {
            using var create = CreateProperties();
            return H5.Check(H5P.H5Pget_layout(create), "H5Pget_layout") switch
            {
                H5P.LayoutCompact => Hdf5Layout.Compact,
                H5P.LayoutChunked => Hdf5Layout.Chunked,
                H5P.LayoutVirtual => Hdf5Layout.Virtual,
                _ => Hdf5Layout.Contiguous,
            };
        }
    }

    /// <summary>Chunk dimensions, or null when the dataset is not chunked.</summary>
    public long[]? ChunkShape
    {
        get
        {
            using var create = CreateProperties();
            if (H5P.H5Pget_layout(create) != H5P.LayoutChunked) return null;
            var dims = stackalloc ulong[32];
            var rank = H5.Check(H5P.H5Pget_chunk(create, 32, dims), "H5Pget_chunk");
            var result = new long[rank];
            for (var i = 0; i < rank; i++) result[i] = (long)dims[i];
            return result;
        }
    }

    /// <summary>The filter pipeline in application order (e.g. shuffle, deflate(4)).</summary>
    public IReadOnlyList<Hdf5Filter> Filters
    {
        get
        {
            using var create = CreateProperties();
            var count = H5.Check(H5P.H5Pget_nfilters(create), "H5Pget_nfilters");
            var filters = new List<Hdf5Filter>(count);
            var values = stackalloc uint[8];
            var name = stackalloc byte[256];
            for (var i = 0; i < count; i++)
            {
                nuint valueCount = 8;
                var id = H5.Check(H5P.H5Pget_filter2(create, (uint)i, out _, ref valueCount, values, 256, name, out _), "H5Pget_filter2");
                var text = new string((sbyte*)name);
                filters.Add(new Hdf5Filter(id, id == H5Z.FilterDeflate ? "gzip" : text.Length > 0 ? text : $"filter {id}",
                    id == H5Z.FilterDeflate && valueCount > 0 ? (int)values[0] : null));
            }
            return filters;
        }
    }

    /// <summary>Bytes the data occupies in the file (after compression).</summary>
    public long StorageSize
    {
        get
        {
            Hdf5Library.Enter();
            return (long)H5D.H5Dget_storage_size(Dataset);
        }
    }

    /// <summary>
    /// Reads the hyperslab [start, start + count) into <paramref name="destination"/> (row-major, count's product elements),
    /// converted by HDF5 to <typeparamref name="T"/>.
    /// </summary>
    public void Read<T>(ReadOnlySpan<long> start, ReadOnlySpan<long> count, Span<T> destination) where T : unmanaged
    {
        Hdf5Library.Enter();
        using var fileSpace = H5.Check(H5D.H5Dget_space(Dataset), "H5Dget_space");
        using var memorySpace = Select(fileSpace, start, count, destination.Length, "H5Dread");
        // The description is built first: any HDF5 call (H5Iget_name) clears the error stack of the failed read.
        var call = Describe("H5Dread", start, count);
        fixed (T* buffer = destination)
            H5.Check(H5D.H5Dread(Dataset, NativeTypes.Memory<T>(), memorySpace, fileSpace, H5PropertyListHandle.Default, buffer), call);
    }

    /// <summary>True when the stored element type is exactly <typeparamref name="T"/>'s native (memory) type, byte order included.</summary>
    public bool StoresNative<T>() where T : unmanaged
    {
        Hdf5Library.Enter();
        using var type = H5.Check(H5D.H5Dget_type(Dataset), "H5Dget_type");
        return H5.CheckBool(H5T.H5Tequal(type, NativeTypes.Memory<T>()), Call("H5Tequal", Path));
    }

    /// <summary>
    /// Reads the stored (still filtered) bytes of the chunk whose first element is <paramref name="offset"/> into
    /// <paramref name="buffer"/> (grown when too small): HDF5's direct chunk read, no decompression.
    /// </summary>
    /// <returns>The chunk's stored size, 0 when the chunk was never written (it holds the fill value).</returns>
    /// <param name="filterMask">Bit i set: filter i of the pipeline was skipped for this chunk.</param>
    public int ReadRawChunk(ReadOnlySpan<long> offset, ref byte[] buffer, out uint filterMask)
    {
        Hdf5Library.Enter();
        var at = stackalloc ulong[Math.Max(1, offset.Length)];
        for (var i = 0; i < offset.Length; i++) at[i] = (ulong)offset[i];
        Span<long> zero = stackalloc long[offset.Length];
        var call = Describe("H5Dread_chunk", offset, zero);
        H5.Check(H5D.H5Dget_chunk_storage_size(Dataset, at, out var size), call);
        filterMask = 0;
        if (size == 0) return 0;
        if (size > int.MaxValue) throw new Hdf5Exception(call, $"chunk of {size} bytes");
        if (buffer.Length < (int)size) buffer = new byte[(int)size];
        fixed (byte* data = buffer)
            H5.Check(H5D.H5Dread_chunk(Dataset, H5PropertyListHandle.Default, at, out filterMask, data), call);
        return (int)size;
    }

    /// <summary>Writes <paramref name="source"/> to the hyperslab [start, start + count).</summary>
    public void Write<T>(ReadOnlySpan<long> start, ReadOnlySpan<long> count, ReadOnlySpan<T> source) where T : unmanaged
    {
        Hdf5Library.Enter();
        using var fileSpace = H5.Check(H5D.H5Dget_space(Dataset), "H5Dget_space");
        using var memorySpace = Select(fileSpace, start, count, source.Length, "H5Dwrite");
        var call = Describe("H5Dwrite", start, count);
        fixed (T* buffer = source)
            H5.Check(H5D.H5Dwrite(Dataset, NativeTypes.Memory<T>(), memorySpace, fileSpace, H5PropertyListHandle.Default, buffer), call);
    }

    /// <summary>Reads every element (row-major) into <paramref name="destination"/>.</summary>
    public void ReadAll<T>(Span<T> destination) where T : unmanaged
    {
        Hdf5Library.Enter();
        var count = ElementCount;
        if (destination.Length < count) throw new ArgumentException($"destination holds {destination.Length} elements, dataset has {count}", nameof(destination));
        var call = Call("H5Dread", Path);
        fixed (T* buffer = destination)
            H5.Check(H5D.H5Dread(Dataset, NativeTypes.Memory<T>(), H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), call);
    }

    /// <summary>Every element (row-major) as <typeparamref name="T"/>; for small datasets (indices, timestamps, columns).</summary>
    public T[] ReadAll<T>() where T : unmanaged
    {
        Hdf5Library.Enter();
        using var type = H5.Check(H5D.H5Dget_type(Dataset), "H5Dget_type");
        return ElementIo.ReadNumbers<T>(type, ElementCount, (memory, buffer) =>
            H5D.H5Dread(Dataset, memory, H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), Call("H5Dread", Path));
    }

    /// <summary>A scalar dataset's value (or the first element).</summary>
    public T ReadScalar<T>() where T : unmanaged
    {
        var values = ReadAll<T>();
        if (values.Length == 0) throw new Hdf5Exception(Call("H5Dread", Path), "dataset is empty");
        return values[0];
    }

    /// <summary>Writes every element (row-major).</summary>
    public void WriteAll<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        Hdf5Library.Enter();
        var count = ElementCount;
        if (source.Length < count) throw new ArgumentException($"source holds {source.Length} elements, dataset has {count}", nameof(source));
        var call = Call("H5Dwrite", Path);
        fixed (T* buffer = source)
            H5.Check(H5D.H5Dwrite(Dataset, NativeTypes.Memory<T>(), H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), call);
    }

    /// <summary>
    /// Writes one chunk as stored, already through the dataset's filters (<c>H5Dwrite_chunk</c>): <paramref name="offset"/>
    /// is the chunk's first element, <paramref name="filterMask"/> bit i set when filter i was skipped.
    /// </summary>
    public void WriteChunk(ReadOnlySpan<long> offset, ReadOnlySpan<byte> stored, uint filterMask = 0)
    {
        Hdf5Library.Enter();
        var call = Call("H5Dwrite_chunk", Path);
        var at = stackalloc ulong[Math.Max(1, offset.Length)];
        for (int i = 0; i < offset.Length; i++) at[i] = checked((ulong)offset[i]);
        fixed (byte* data = stored)
            H5.Check(H5D.H5Dwrite_chunk(Dataset, H5PropertyListHandle.Default, filterMask, at, (nuint)stored.Length, data), call);
    }

    /// <summary>Every string of a fixed or variable-length string dataset (scalar → one).</summary>
    public string[] ReadStrings()
    {
        Hdf5Library.Enter();
        using var type = H5.Check(H5D.H5Dget_type(Dataset), "H5Dget_type");
        return ElementIo.ReadStrings(type, ElementCount, (memory, buffer) =>
            H5D.H5Dread(Dataset, memory, H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), Call("H5Dread", Path));
    }

    /// <summary>A scalar string dataset's value; an array gives its elements joined by ", ".</summary>
    public string ReadString() => string.Join(", ", ReadStrings());

    /// <summary>The paths an object-reference dataset points to ("" for a null reference).</summary>
    public string[] ReadReferences()
    {
        Hdf5Library.Enter();
        using var type = H5.Check(H5D.H5Dget_type(Dataset), "H5Dget_type");
        return ElementIo.ReadReferences(Handle, type, ElementCount, (memory, buffer) =>
            H5D.H5Dread(Dataset, memory, H5SpaceHandle.All, H5SpaceHandle.All, H5PropertyListHandle.Default, buffer), Call("H5Dread", Path));
    }

    /// <summary>Grows a dataset created growable (its first dimension is unlimited).</summary>
    public void Extend(ReadOnlySpan<long> newShape)
    {
        Hdf5Library.Enter();
        var dims = stackalloc ulong[Math.Max(1, newShape.Length)];
        for (var i = 0; i < newShape.Length; i++) dims[i] = (ulong)newShape[i];
        var call = Call("H5Dset_extent", Path);
        H5.Check(H5D.H5Dset_extent(Dataset, dims), call);
    }

    private H5PropertyListHandle CreateProperties()
    {
        Hdf5Library.Enter();
        return H5.Check(H5D.H5Dget_create_plist(Dataset), "H5Dget_create_plist");
    }

    private H5SpaceHandle Select(H5SpaceHandle fileSpace, ReadOnlySpan<long> start, ReadOnlySpan<long> count, int bufferLength, string function)
    {
        var call = Describe(function, start, count);
        var rank = H5.Check(H5S.H5Sget_simple_extent_ndims(fileSpace), call);
        if (start.Length != rank || count.Length != rank)
            throw new ArgumentException($"{call}: the dataset has rank {rank}");
        var starts = stackalloc ulong[Math.Max(1, rank)];
        var counts = stackalloc ulong[Math.Max(1, rank)];
        long total = 1;
        for (var i = 0; i < rank; i++)
        {
            if (start[i] < 0 || count[i] < 0) throw new ArgumentOutOfRangeException(nameof(start), $"{call}: negative start or count");
            starts[i] = (ulong)start[i];
            counts[i] = (ulong)count[i];
            total *= count[i];
        }
        if (bufferLength < total) throw new ArgumentException($"{call}: buffer holds {bufferLength} elements, the selection {total}");
        H5.Check(H5S.H5Sselect_hyperslab(fileSpace, H5S.SelectSet, starts, null, counts, null), call);
        return H5.Check(H5S.H5Screate_simple(rank, counts, null), call);
    }

    /// <summary>Makes this 1-D dataset the dimension scale (netCDF-4 coordinate variable) named <paramref name="dimension"/>.</summary>
    public void MakeDimensionScale(string dimension)
    {
        Hdf5Library.Enter();
        H5.Check(H5DS.H5DSset_scale((H5DatasetHandle)Handle, dimension), Call("H5DSset_scale", dimension));
    }

    /// <summary>Attaches <paramref name="scale"/> to this dataset's dimension <paramref name="dimension"/> and labels it.</summary>
    public void AttachScale(Hdf5Dataset scale, int dimension, string label)
    {
        Hdf5Library.Enter();
        H5.Check(H5DS.H5DSattach_scale((H5DatasetHandle)Handle, (H5DatasetHandle)scale.Handle, (uint)dimension), Call("H5DSattach_scale", scale.Path));
        H5.Check(H5DS.H5DSset_label((H5DatasetHandle)Handle, (uint)dimension, label), Call("H5DSset_label", label));
    }

    private string Describe(string function, ReadOnlySpan<long> start, ReadOnlySpan<long> count)
    {
        var text = new StringBuilder(function).Append('(').Append(Path).Append(" [");
        for (var i = 0; i < start.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(start[i]).Append(':').Append(i < count.Length ? start[i] + count[i] : start[i]);
        }
        return text.Append("])").ToString();
    }
}
