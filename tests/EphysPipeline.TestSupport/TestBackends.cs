using EphysPipeline.Backends;
using EphysPipeline.Core;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.TestSupport;

/// <summary>
/// The backends the engine tests run on: FFTW and OpenBLAS, or what EPHYS_FFT / EPHYS_BLAS name, so one build of
/// the tests runs once per provider (scripts/test.sh runs the engine tests again with EPHYS_FFT=managed).
/// </summary>
public static class TestBackends
{
    public static ComputeBackends Current { get; } = BackendSelector.Select("fftw", "openblas").Backends;

    public static IFftProvider Fft => Current.Fft;
}
