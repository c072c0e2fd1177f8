using System.Runtime.InteropServices;
using EphysPipeline.IO;
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
    /// <param name="threads">Threads that compress the chunks; the file's bytes do not depend on it.</param>
    public static void Write(Stream destination, IReadOnlyList<SpectralArray> arrays, int threads = 1)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        // libhdf5 refuses a second open file of the same name, in memory too: sessions write theirs at the same time.
        using var file = Hdf5File.CreateInMemory($"{SessionStore.SpectraFile}-{Guid.NewGuid():N}");
        file.WriteAttribute("schema", 2);
        foreach (var array in arrays)
        {
            using var group = file.CreateGroup(array.Name);
            var shape = array.Shape;
            long[] chunk = [1, .. shape[1..]];
            using var power = group.CreateDataset<double>("power", shape, chunk, GzipLevel, shuffle: true);
            // Compression is most of the work and libhdf5 filters on one thread: channel chunks are encoded on every
            // thread, a batch at a time (memory stays a batch of chunks), and libhdf5 only stores them, in order.
            int channels = array.Values.Length == 0 ? 0 : (int)shape[0];
            int perChannel = channels == 0 ? 0 : array.Values.Length / channels;
            int batch = 4 * parallel.MaxDegreeOfParallelism;
            var stored = new byte[Math.Min(batch, channels)][];
            for (int first = 0; first < channels; first += batch)
            {
                int count = Math.Min(batch, channels - first);
                Parallel.For(0, count, parallel, i => stored[i] = ChunkEncoder.ShuffleDeflate(
                    MemoryMarshal.AsBytes(array.Values.AsSpan((first + i) * perChannel, perChannel)), sizeof(double), GzipLevel));
                for (int i = 0; i < count; i++)
                {
                    long[] offset = new long[shape.Length];
                    offset[0] = first + i;
                    power.WriteChunk(offset, stored[i]);
                }
            }
            Label(group, power, array.Frequencies, array.Times, array.Channels, array.Regions, array.Epoch, array.State, session: null);
        }
        file.WriteImage(destination);
    }

    // zlib-ng level 2: smaller than libhdf5's zlib at level 1 on these spectra (28.9 vs 29.1 MB for the standard bench).
    private const int GzipLevel = 2;

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

    /// <summary>Reads a session's spectra.h5 back (every group, in name order).</summary>
    public static IReadOnlyList<SpectralArray> Read(string path)
    {
        using var file = Hdf5File.OpenRead(path);
        var arrays = new List<SpectralArray>();
        foreach (var member in file.Members().Where(m => m.Kind == Hdf5ObjectKind.Group))
        {
            using var group = file.OpenGroup(member.Name);
            var labels = ReadLabels(group);
            using var power = group.OpenDataset("power");
            arrays.Add(new SpectralArray(member.Name, labels.Frequencies, labels.Times, labels.Channels, labels.Regions, power.ReadAll<double>())
                { Epoch = labels.Epoch, State = labels.State });
        }
        return arrays;
    }

    private sealed record Labels(double[] Frequencies, double[]? Times, long[] Channels, string[] Regions, string? Epoch, string? State);

    private static Labels ReadLabels(Hdf5Group group)
    {
        T? Optional<T>(string name, Func<Hdf5Dataset, T> read) where T : class
        {
            if (group.KindOf(name) != Hdf5ObjectKind.Dataset) return null;
            using var dataset = group.OpenDataset(name);
            return read(dataset);
        }
        T Required<T>(string name, Func<Hdf5Dataset, T> read) where T : class => Optional(name, read) ?? throw new InvalidDataException($"{group.Path}: no {name}");
        return new Labels(
            Required(FrequencyName, d => d.ReadAll<double>()),
            Optional(TimeName, d => d.ReadAll<double>()),
            Required(ChannelName, d => d.ReadAll<long>()),
            Required(RegionName, d => d.ReadStrings()),
            Optional(EpochName, d => d.ReadStrings()[0]),
            Optional(StateName, d => d.ReadStrings()[0]));
    }

    // The power array (the bulk of the file) is copied chunk by chunk as stored: a study of hundreds of sessions would
    // otherwise decompress and re-compress every spectrum. The coordinates are rewritten as WriteArray writes them.
    private static void CopyArray(Hdf5Group from, Hdf5Group to, string session)
    {
        var labels = ReadLabels(from);
        using var power = from.OpenDataset("power");
        using var copy = to.CopyChunkedDataset(power, "power");
        Label(to, copy, labels.Frequencies, labels.Times, labels.Channels, labels.Regions, labels.Epoch, labels.State, session);
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
