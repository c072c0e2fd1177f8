using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.IO;

/// <summary>
/// NWB 2.x storage conventions shared by the NWB writers: every typed object carries namespace, neurodata_type and a
/// UUID object_id; DynamicTable columns are VectorData with a description (hdmf-common).
/// </summary>
internal static class NwbLayout
{
    public static void Typed(Hdf5Object target, string type, string ns, string objectId)
    {
        target.WriteAttribute("namespace", ns);
        target.WriteAttribute("neurodata_type", type);
        target.WriteAttribute("object_id", objectId);
    }

    public static void Column(Hdf5Object column, string description, string objectId, string type = "VectorData")
    {
        column.WriteAttribute("description", description);
        Typed(column, type, "hdmf-common", objectId);
    }

    /// <summary>A version-4-shaped UUID from 16 bytes of the caller's deterministic source (pynwb draws random ones).</summary>
    public static string Uuid(Span<byte> bytes)
    {
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes[..4]) + "-" + Convert.ToHexStringLower(bytes[4..6]) + "-"
            + Convert.ToHexStringLower(bytes[6..8]) + "-" + Convert.ToHexStringLower(bytes[8..10]) + "-" + Convert.ToHexStringLower(bytes[10..16]);
    }
}
