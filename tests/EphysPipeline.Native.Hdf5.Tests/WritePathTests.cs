using EphysPipeline.Native.Hdf5;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Native.Hdf5.Tests;

/// <summary>The two write paths that keep libhdf5 away from disk failures: in-memory files, and chunk-by-chunk copies.</summary>
public class WritePathTests
{
    [Fact]
    public void InMemoryFileWrittenAsAnImageReadsBackAsAFile()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("image.h5");
        double[] values = [1, 2.5, double.NaN, -4];
        using (var memory = Hdf5File.CreateInMemory("image-" + Guid.NewGuid().ToString("N")))
        {
            memory.WriteDataset<double>("g/power", values, shape: [2, 2], chunks: [1, 2], gzipLevel: 1, shuffle: true);
            memory.WriteAttribute("schema", 1);
            using var stream = File.Create(path);
            memory.WriteImage(stream);
        }
        using var read = Hdf5File.OpenRead(path);
        Assert.Equal(1, read.ReadAttributeScalar<int>("schema"));
        using var power = read.OpenDataset("g/power");
        Assert.Equal(values, power.ReadAll<double>());
        Assert.Equal([2L, 2], power.Shape);
    }

    [Fact]
    public void ChunkedCopyKeepsValuesShapeChunksAndFilters()
    {
        using var dir = Fixtures.TempDir();
        var source = dir.File("source.h5");
        var values = Enumerable.Range(0, 3 * 4 * 5).Select(i => Math.Sin(i) * 1e-6).ToArray();
        using (var file = Hdf5File.Create(source))
            file.WriteDataset<double>("power", values, shape: [3, 4, 5], chunks: [1, 4, 5], gzipLevel: 1, shuffle: true);

        var target = dir.File("target.h5");
        using (var from = Hdf5File.OpenRead(source))
        using (var to = Hdf5File.Create(target))
        using (var power = from.OpenDataset("power"))
            to.CopyChunkedDataset(power, "s1/power").Dispose();

        using var read = Hdf5File.OpenRead(target);
        using var copy = read.OpenDataset("s1/power");
        Assert.Equal(values, copy.ReadAll<double>());
        Assert.Equal([3L, 4, 5], copy.Shape);
        Assert.Equal([1L, 4, 5], copy.ChunkShape!);
        Assert.Equal(["shuffle", "gzip(1)"], copy.Filters.Select(f => f.ToString()));
    }

    [Fact]
    public void ChunkedCopyRefusesAContiguousDataset()
    {
        using var dir = Fixtures.TempDir();
        var source = dir.File("flat.h5");
        using (var file = Hdf5File.Create(source)) file.WriteDataset<double>("x", [1.0, 2.0]);
        using var from = Hdf5File.OpenRead(source);
        using var to = Hdf5File.Create(dir.File("out.h5"));
        using var x = from.OpenDataset("x");
        Assert.Throws<ArgumentException>(() => to.CopyChunkedDataset(x, "x"));
    }
}
