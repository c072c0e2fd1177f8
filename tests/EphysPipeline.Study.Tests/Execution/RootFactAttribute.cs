using EphysPipeline.TestSupport;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>A fact that needs root (to mount a tmpfs); skipped when not root. CI runs as root, so it runs there.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Tmpfs.CanMount) Skip = "needs root to mount a tmpfs";
    }
}
