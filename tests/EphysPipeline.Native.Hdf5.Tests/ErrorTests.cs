using EphysPipeline.Native.Hdf5;
using EphysPipeline.TestSupport;

namespace EphysPipeline.Native.Hdf5.Tests;

public class ErrorTests
{
    [Fact]
    public void Opening_a_non_hdf5_file_carries_hdf5s_message()
    {
        using var dir = Fixtures.TempDir();
        var path = dir.File("text.nwb");
        File.WriteAllText(path, "not an hdf5 file at all");
        Assert.False(Hdf5File.IsHdf5(path));
        var error = Assert.Throws<Hdf5Exception>(() => Hdf5File.OpenRead(path));
        Assert.StartsWith($"H5Fopen({path}): ", error.Message);
        Assert.Contains("signature", error.Message);
    }

    [Fact]
    public void Missing_file_and_missing_objects_fail_with_messages()
    {
        using var dir = Fixtures.TempDir();
        Assert.False(Hdf5File.IsHdf5(dir.File("none.h5")));
        var missingFile = Assert.Throws<Hdf5Exception>(() => Hdf5File.OpenRead(dir.File("none.h5")));
        Assert.Contains("unable to open file", missingFile.Message);
        using var file = Hdf5File.OpenRead(Fixtures.PathOf("signals.h5"));
        var missingDataset = Assert.Throws<Hdf5Exception>(() => file.OpenDataset("nope"));
        Assert.StartsWith("H5Dopen2(nope): ", missingDataset.Message);
        Assert.Contains("doesn't exist", missingDataset.Message);
        var missingAttribute = Assert.Throws<Hdf5Exception>(() => file.ReadAttribute<double>("nope"));
        Assert.StartsWith("H5Aopen(nope): ", missingAttribute.Message);
    }

    [Fact]
    public void Errors_on_one_thread_do_not_leak_into_the_next_call()
    {
        using var file = Hdf5File.OpenRead(Fixtures.PathOf("signals.h5"));
        Assert.Throws<Hdf5Exception>(() => file.OpenGroup("nope"));
        using var pair = file.OpenDataset("pair");
        Assert.Equal([2L, 20000], pair.Shape);
        var results = new long[4][];
        Parallel.For(0, 4, i =>
        {
            using var f = Hdf5File.OpenRead(Fixtures.PathOf("signals.h5"));
            Assert.Throws<Hdf5Exception>(() => f.OpenDataset("missing" + i));
            using var d = f.OpenDataset("white");
            results[i] = d.Shape;
        });
        Assert.All(results, shape => Assert.Equal([1L, 20000], shape));
    }

    [Fact]
    public void Signals_fixture_loads_as_channel_major()
    {
        var pair = Fixtures.Signal("pair");
        Assert.Equal(2, pair.Length);
        Assert.Equal(20000, pair[0].Length);
        Assert.Equal(1000.0, Fixtures.SignalRate);
        Assert.Single(Fixtures.Signal("sines"));
        Assert.Contains(pair[1], v => v != 0);
    }

    [Fact]
    public void Damaged_global_heap_is_found_before_hdf5_reads_it()
    {
        var path = Fixtures.PathOf("nwb/ketamine_m01.nwb");
        Assert.Null(Hdf5Integrity.FindGlobalHeapDamage(path));
        using var dir = Fixtures.TempDir();
        var bytes = File.ReadAllBytes(path);
        bytes[7301] ^= 0x40; // high byte of a vlen string's size in the heap at 6080: libhdf5 would segfault on it
        var damaged = dir.File("damaged.nwb");
        File.WriteAllBytes(damaged, bytes);
        Assert.Equal("global heap at byte 6080: object 37 of 70368744177667 bytes overruns the 4096-byte collection",
            Hdf5Integrity.FindGlobalHeapDamage(damaged));

        // Scanned in ranges on several threads: the same answer, also when the signature straddles two ranges and
        // when a later range holds damage too (the first one is reported).
        var clean = File.ReadAllBytes(path);
        int fake = bytes.Length - 9000;
        foreach (var b in new[] { bytes, clean })
        {
            // A second collection header, of an impossible size.
            "GCOL"u8.CopyTo(b.AsSpan(fake));
            new byte[] { 1, 0, 0, 0 }.CopyTo(b, fake + 4);
            BitConverter.GetBytes(1UL << 40).CopyTo(b, fake + 8);
        }
        var twice = dir.File("twice.nwb");
        var late = dir.File("late.nwb");
        File.WriteAllBytes(twice, bytes);
        File.WriteAllBytes(late, clean);
        foreach (var range in new long[] { 1024, 6080, 6081, 6082, 6083, 6084, fake - 2, fake + 1, 1 << 20 })
            foreach (var threads in new[] { 1, 2, 4 })
            {
                Assert.Null(Hdf5Integrity.FindGlobalHeapDamage(path, threads, range));
                Assert.Equal("global heap at byte 6080: object 37 of 70368744177667 bytes overruns the 4096-byte collection",
                    Hdf5Integrity.FindGlobalHeapDamage(twice, threads, range));
                Assert.Equal($"global heap at byte {fake}: collection size {1UL << 40} impossible",
                    Hdf5Integrity.FindGlobalHeapDamage(late, threads, range));
            }
    }

    [Fact]
    public void Files_libhdf5_opens_are_not_inherited_by_child_processes()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A worker started while a file is open would otherwise hold libhdf5's lock on it until the worker exits.
        using var dir = Fixtures.TempDir();
        var created = dir.File("created.h5");
        using (var file = Hdf5File.Create(created)) file.WriteDataset<double>("x", [1.0]);
        foreach (var open in new Func<Hdf5File>[] { () => Hdf5File.OpenRead(created), () => Hdf5File.OpenReadWrite(created), () => Hdf5File.Create(dir.File("new.h5")) })
        {
            using var file = open();
            var descriptors = Directory.GetFiles("/proc/self/fd").Where(fd => Target(fd)?.StartsWith(dir.Path, StringComparison.Ordinal) == true).ToList();
            Assert.NotEmpty(descriptors);
            foreach (var fd in descriptors)
            {
                var flags = File.ReadAllLines("/proc/self/fdinfo/" + Path.GetFileName(fd)).First(l => l.StartsWith("flags:", StringComparison.Ordinal));
                Assert.NotEqual(0, Convert.ToInt64(flags["flags:".Length..].Trim(), 8) & 0x80000); // O_CLOEXEC
            }
        }

        // Other tests open and close descriptors meanwhile: one may be gone by the time it is looked at.
        static string? Target(string fd)
        {
            try { return File.ResolveLinkTarget(fd, false)?.FullName; }
            catch (IOException) { return null; }
        }
    }

    [Fact]
    public void Library_version_is_1_10_or_later()
    {
        var parts = Hdf5File.LibraryVersion.Split('.').Select(int.Parse).ToArray();
        Assert.True(parts[0] > 1 || parts[1] >= 10, Hdf5File.LibraryVersion);
    }
}
