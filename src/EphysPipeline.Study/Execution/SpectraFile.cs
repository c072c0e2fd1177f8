using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// spectra.h5 (docs/outputs.md), schema 2: per session a group per array — /&lt;name&gt;/{power, frequency, channel,
/// region, time?, epoch?} in netCDF-4 layout (dimension scales), units in attributes. The study file holds the same
/// under /&lt;session&gt;/, each group with a scalar session coordinate.
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
        file.WriteAttribute("schema", 2);
        foreach (var array in arrays) WriteArray(file, array.Name, array);
        file.WriteImage(destination);
    }

    /// <summary>Copies each session's spectra.h5 into one file under /&lt;session&gt;/, in the given order.</summary>
    public static void Combine(string path, IReadOnlyList<(string Session, string Path)> sessions)
    {
        using var file = Hdf5File.Create(path);
        file.WriteAttribute("schema", 2);
        foreach (var (session, sessionPath) in sessions)
        {
            using var source = Hdf5File.OpenRead(sessionPath);
            using var group = file.CreateGroup(session);
            foreach (var member in source.Members().Where(m => m.Kind == Hdf5ObjectKind.Group))
            {
                using var from = source.OpenGroup(member.Name);
                using var to = group.CreateGroup(member.Name);
                CopyArray(from, to, session);
            }
        }
    }

    private static void WriteArray(Hdf5Group parent, string name, SpectralArray array)
    {
        using var group = parent.CreateGroup(name);
        var shape = array.Shape;
        long[] chunks = shape.Length == 3 ? [1, shape[1], shape[2]] : shape;
        using var power = group.CreateDataset<double>("power", shape, chunks, gzipLevel: 1, shuffle: true);
        power.WriteAll<double>(array.Values);
        Label(group, power, array.Frequencies, array.Times, array.Channels, array.Regions, array.Epoch, array.State, session: null);
    }

    // The power array (the bulk of the file) is copied chunk by chunk as stored: a study of hundreds of sessions would
    // otherwise decompress and re-compress every spectrum. The coordinates are rewritten as WriteArray writes them.
    private static void CopyArray(Hdf5Group from, Hdf5Group to, string session)
    {
        using var frequencies = from.OpenDataset(FrequencyName);
        using var channels = from.OpenDataset(ChannelName);
        using var regions = from.OpenDataset(RegionName);
        double[]? times = null;
        if (from.KindOf(TimeName) == Hdf5ObjectKind.Dataset)
            using (var t = from.OpenDataset(TimeName)) times = t.ReadAll<double>();
        string? epoch = null;
        if (from.KindOf(EpochName) == Hdf5ObjectKind.Dataset)
            using (var e = from.OpenDataset(EpochName)) epoch = e.ReadStrings()[0];
        string? state = null;
        if (from.KindOf(StateName) == Hdf5ObjectKind.Dataset)
            using (var e = from.OpenDataset(StateName)) state = e.ReadStrings()[0];
        using var power = from.OpenDataset("power");
        using var copy = to.CopyChunkedDataset(power, "power");
        Label(to, copy, frequencies.ReadAll<double>(), times, channels.ReadAll<long>(), regions.ReadStrings(), epoch, state, session);
    }

    /// <summary>Dimension names of the arrays (netCDF-4 coordinate variables), as xarray shows them.</summary>
    public const string FrequencyName = "frequency", TimeName = "time", ChannelName = "channel", RegionName = "region",
        EpochName = "epoch", StateName = "state", SessionName = "session";

    // netCDF-4 conventions, so xarray (h5netcdf) opens a group with named dimensions and coordinates: each dimension is
    // a 1-D dimension scale attached to power's axis; region (per channel), epoch and session are coordinates.
    private static void Label(Hdf5Group group, Hdf5Dataset power, double[] frequencies, double[]? times,
        long[] channels, IReadOnlyList<string> regions, string? epoch, string? state, string? session)
    {
        power.WriteAttribute("units", "V^2/Hz");
        var coordinates = new List<string> { RegionName };
        using var channel = Scale<long>(group, ChannelName, channels, "electrode id (NWB electrodes table id)", null);
        power.AttachScale(channel, 0, ChannelName);
        using (var region = group.WriteStrings(RegionName, regions))
        {
            region.AttachScale(channel, 0, ChannelName);
            region.WriteAttribute("description", "electrode location");
        }
        if (times is not null)
        {
            using var time = Scale<double>(group, TimeName, times, "frame centre relative to the injection", "s");
            power.AttachScale(time, 1, TimeName);
        }
        using (var frequency = Scale<double>(group, FrequencyName, frequencies, "frequency", "Hz"))
            power.AttachScale(frequency, times is null ? 1 : 2, FrequencyName);
        if (epoch is not null)
        {
            group.WriteString(EpochName, epoch).Dispose();
            coordinates.Add(EpochName);
        }
        if (state is not null)
        {
            group.WriteString(StateName, state).Dispose();
            coordinates.Add(StateName);
        }
        if (session is not null)
        {
            group.WriteString(SessionName, session).Dispose();
            coordinates.Add(SessionName);
        }
        power.WriteAttribute("coordinates", string.Join(' ', coordinates));
    }

    private static Hdf5Dataset Scale<T>(Hdf5Group group, string name, ReadOnlySpan<T> values, string description, string? units) where T : unmanaged
    {
        var scale = group.CreateDataset<T>(name, [values.Length]);
        try
        {
            scale.WriteAll(values);
            scale.MakeDimensionScale(name);
            scale.WriteAttribute("description", description);
            if (units is not null) scale.WriteAttribute("units", units);
            return scale;
        }
        catch
        {
            scale.Dispose();
            throw;
        }
    }
}
