using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// spectra.h5 (docs/outputs.md): per session a group per array — /&lt;name&gt;/{power, frequencies, channels, regions,
/// times?} with units in attributes. The study file holds the same under /&lt;session&gt;/.
/// </summary>
public static class SpectraFile
{
    public static void Write(string path, IReadOnlyList<SpectralArray> arrays)
    {
        using var file = Hdf5File.Create(path);
        file.WriteAttribute("schema", 1);
        foreach (var array in arrays) WriteArray(file, array.Name, array);
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
            // Copied as stored: a study of hundreds of sessions would otherwise re-compress every spectrum.
            foreach (var member in source.Members().Where(m => m.Kind == Hdf5ObjectKind.Group))
                group.CopyFrom(source, member.Name, member.Name);
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
            power.WriteAttribute("units", "V^2/Hz");
            power.WriteAttribute("dimensions", array.Times is null ? "channel, frequency" : "channel, time, frequency");
        }
        group.WriteDataset<double>("frequencies", array.Frequencies);
        if (array.Times is not null) group.WriteDataset<double>("times", array.Times);
        group.WriteDataset<long>("channels", array.Channels);
        group.WriteStrings("regions", array.Regions).Dispose();
    }
}
