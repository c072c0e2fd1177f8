using System.Security.Cryptography;
using System.Text;
using EphysPipeline.Core;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// A DynamicTable column: <see cref="Values"/> is a double[], long[] or string[] of rows × <see cref="Width"/> values,
/// row-major (Width &gt; 1: a 2-D column, e.g. a PSD per row).
/// </summary>
public sealed record NwbColumn(string Name, string Description, Array Values, int Width = 1);

/// <summary>An hdmf-common DynamicTable of <paramref name="Rows"/> rows.</summary>
public sealed record NwbTable(string Name, string Description, int Rows, IReadOnlyList<NwbColumn> Columns);

/// <summary>
/// Writes derived data of one recording as its own NWB file (never touching the recording's): the recording's
/// identity (session_start_time, file_create_date, subject) and its cached schema (/specifications) are copied, and
/// the tables go into /processing/&lt;module&gt; as DynamicTables, so pynwb or hdmf open it next to the data.
/// Object ids are derived from the recording's identifier and each object's path: the same inputs give the same bytes.
/// </summary>
public static class NwbDerivedFile
{
    private const int ChunkRows = 1 << 16;

    /// <summary>True when <paramref name="path"/> is an NWB file (root neurodata_type NWBFile).</summary>
    public static bool IsNwb(string path)
    {
        using var file = Hdf5Input.Open(path, checkHeaps: false);
        return Hdf5Input.StringAttribute(file, "neurodata_type") == "NWBFile";
    }

    /// <summary>Builds the file in memory and streams it to <paramref name="destination"/> (a full disk is an ordinary IOException).</summary>
    public static void Write(Stream destination, string recordingPath, string module, string moduleDescription, IReadOnlyList<NwbTable> tables)
    {
        using var source = Hdf5Input.Open(recordingPath, checkHeaps: false);
        var identity = Hdf5Input.Guard(recordingPath, null, () => ReadIdentity(recordingPath, source));
        using var file = Hdf5File.CreateInMemory($"nwb-{Guid.NewGuid():N}");
        var ids = new ObjectIds(identity.Identifier);

        NwbLayout.Typed(file, "NWBFile", "core", ids.For("/"));
        file.WriteAttribute("nwb_version", identity.NwbVersion);
        using (file.WriteStrings("/file_create_date", identity.FileCreateDates)) { }
        using (file.WriteString("/identifier", identity.Identifier + "." + module)) { }
        using (file.WriteString("/session_description", moduleDescription)) { }
        using (file.WriteString("/session_start_time", identity.SessionStart)) { }
        using (file.WriteString("/timestamps_reference_time", identity.ReferenceTime)) { }
        foreach (var group in new[] { "/acquisition", "/analysis", "/general", "/stimulus/presentation", "/stimulus/templates" })
            using (file.CreateGroup(group)) { }
        Hdf5Input.Guard(recordingPath, null, () =>
        {
            if (source.KindOf("/general/subject") == Hdf5ObjectKind.Group) file.CopyObject(source, "/general/subject", "/general/subject");
            if (identity.Specifications is { } specifications)
            {
                file.CopyObject(source, specifications, "/specifications");
                file.WriteReferenceAttribute(".specloc", "/specifications");
            }
            return 0;
        });

        var modulePath = $"/processing/{module}";
        using (var group = file.CreateGroup(modulePath))
        {
            NwbLayout.Typed(group, "ProcessingModule", "core", ids.For(modulePath));
            group.WriteAttribute("description", moduleDescription);
        }
        foreach (var table in tables) WriteTable(file, $"{modulePath}/{table.Name}", table, ids);
        file.WriteImage(destination);
    }

    private sealed record Identity(string NwbVersion, string Identifier, string SessionStart, string ReferenceTime, string[] FileCreateDates, string? Specifications);

    private static Identity ReadIdentity(string path, Hdf5File source)
    {
        string Text(string dataset) => source.KindOf(dataset) == Hdf5ObjectKind.Dataset
            ? OpenStrings(source, dataset)[0]
            : throw new EphysInputException(path, dataset, "missing: an NWB file needs it for derived data");
        var start = Text("/session_start_time");
        var reference = source.KindOf("/timestamps_reference_time") == Hdf5ObjectKind.Dataset ? Text("/timestamps_reference_time") : start;
        var created = source.KindOf("/file_create_date") == Hdf5ObjectKind.Dataset ? OpenStrings(source, "/file_create_date") : [start];
        string? specifications = null;
        if (source.HasAttribute(".specloc") && source.ReadAttributeReferences(".specloc") is [var target] && source.KindOf(target) == Hdf5ObjectKind.Group)
            specifications = target;
        return new Identity(Hdf5Input.StringAttribute(source, "nwb_version") ?? "2.7.0", Text("/identifier"), start, reference, created, specifications);
    }

    private static string[] OpenStrings(Hdf5File source, string dataset)
    {
        using var d = source.OpenDataset(dataset);
        return d.ReadStrings();
    }

    private static void WriteTable(Hdf5File file, string path, NwbTable table, ObjectIds ids)
    {
        using var group = file.CreateGroup(path);
        NwbLayout.Typed(group, "DynamicTable", "hdmf-common", ids.For(path));
        group.WriteAttribute("colnames", [.. table.Columns.Select(c => c.Name)]);
        group.WriteAttribute("description", table.Description);
        using (var id = Numeric<long>(group, "id", [.. Enumerable.Range(0, table.Rows).Select(i => (long)i)], 1))
            NwbLayout.Typed(id, "ElementIdentifiers", "hdmf-common", ids.For(path + "/id"));
        foreach (var column in table.Columns)
        {
            if (column.Values.Length != (long)table.Rows * column.Width)
                throw new ArgumentException($"{path}/{column.Name}: {column.Values.Length} values for {table.Rows} rows × {column.Width}");
            using var dataset = column.Values switch
            {
                double[] v => Numeric<double>(group, column.Name, v, column.Width),
                long[] v => Numeric<long>(group, column.Name, v, column.Width),
                string[] v => group.WriteStrings(column.Name, v),
                _ => throw new ArgumentException($"{path}/{column.Name}: {column.Values.GetType().Name} is not a column type"),
            };
            NwbLayout.Column(dataset, column.Description, ids.For($"{path}/{column.Name}"));
        }
    }

    // Chunked and compressed when there is something to chunk (an empty chunked dataset needs an unlimited dimension).
    private static Hdf5Dataset Numeric<T>(Hdf5Group group, string name, T[] values, int width) where T : unmanaged
    {
        var rows = values.Length / width;
        long[] shape = width == 1 ? [rows] : [rows, width];
        long[] chunks = rows == 0 ? [] : width == 1 ? [Math.Min(rows, ChunkRows)] : [Math.Clamp(ChunkRows / width, 1, rows), width];
        var dataset = group.CreateDataset<T>(name, shape, chunks, gzipLevel: rows == 0 ? -1 : 4, shuffle: rows > 0);
        if (values.Length > 0) dataset.WriteAll<T>(values);
        return dataset;
    }

    /// <summary>UUIDs from SHA-256 of the recording's identifier and the object's path.</summary>
    private sealed class ObjectIds(string identifier)
    {
        public string For(string path)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(Encoding.UTF8.GetBytes(identifier + "\n" + path), hash);
            return NwbLayout.Uuid(hash);
        }
    }
}
