using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// spectra.h5 (docs/outputs.md): per session a group per array — /&lt;name&gt;/{power, frequencies, channels, regions,
/// times?} with units in attributes. The study file holds the same under /&lt;session&gt;/.
/// </summary>
public static class SpectraFile
{
    /// <summary>
    /// Builds a session's file in memory and streams it to <paramref name="destination"/>: the disk is written by .NET,
    /// so a full or failing disk is an ordinary IOException instead of a failure inside libhdf5.
    /// </summary>
    public static void Write(Stream destination, IReadOnlyList<SpectralArray> arrays)
    {
        // libhdf5 refuses a second open file of the same name, in memory too: sessions write theirs at the same time.
        using var file = Hdf5File.CreateInMemory($"{SessionStore.SpectraFile}-{Guid.NewGuid():N}");
        file.WriteAttribute("schema", 1);
        foreach (var array in arrays) WriteArray(file, array.Name, array);
        file.WriteImage(destination);
    }

    /// <summary>Copies each session's spectra.h5 into one file under /&lt;session&gt;/, in the given order.</summary>
    public static void Combine(string path, IReadOnlyList<(string Session, string Path)> sessions)
    {
        using var file = Hdf5File.Create(path);
        file.WriteAttribute("schema", 1);
        foreach (var (session, sessionPath) in sessions)
        {
            using var source = Hdf5File.OpenRead(sessionPath);
            using var group = file.CreateGroup(session);
            foreach (var member in source.Members().Where(m => m.Kind == Hdf5ObjectKind.Group))
            {
                using var from = source.OpenGroup(member.Name);
                using var to = group.CreateGroup(member.Name);
                CopyArray(from, to);
            }
        }
    }

    private static void WriteArray(Hdf5Group parent, string name, SpectralArray array)
    {
        using var group = parent.CreateGroup(name);
        var shape = array.Shape;
        long[] chunks = shape.Length == 3 ? [1, shape[1], shape[2]] : shape;
        using (var power = group.CreateDataset<double>("power", shape, chunks, gzipLevel: 1, shuffle: true))
        {
            power.WriteAll<double>(array.Values);
            WritePowerAttributes(power, "V^2/Hz", array.Times is null ? "channel, frequency" : "channel, time, frequency");
        }
        group.WriteDataset<double>("frequencies", array.Frequencies);
        if (array.Times is not null) group.WriteDataset<double>("times", array.Times);
        group.WriteDataset<long>("channels", array.Channels);
        group.WriteStrings("regions", array.Regions).Dispose();
    }

    // The power array (the bulk of the file) is copied chunk by chunk as stored: a study of hundreds of sessions would
    // otherwise decompress and re-compress every spectrum. The small datasets are rewritten as WriteArray writes them.
    private static void CopyArray(Hdf5Group from, Hdf5Group to)
    {
        using (var power = from.OpenDataset("power"))
        using (var copy = to.CopyChunkedDataset(power, "power"))
            WritePowerAttributes(copy, power.ReadAttributeString("units"), power.ReadAttributeString("dimensions"));
        using (var frequencies = from.OpenDataset("frequencies")) to.WriteDataset<double>("frequencies", frequencies.ReadAll<double>());
        if (from.KindOf("times") == Hdf5ObjectKind.Dataset)
            using (var times = from.OpenDataset("times")) to.WriteDataset<double>("times", times.ReadAll<double>());
        using (var channels = from.OpenDataset("channels")) to.WriteDataset<long>("channels", channels.ReadAll<long>());
        using (var regions = from.OpenDataset("regions")) to.WriteStrings("regions", regions.ReadStrings()).Dispose();
    }

    private static void WritePowerAttributes(Hdf5Dataset power, string units, string dimensions)
    {
        power.WriteAttribute("units", units);
        power.WriteAttribute("dimensions", dimensions);
    }
}
