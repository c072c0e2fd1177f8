using EphysPipeline.Core.Blas;
using EphysPipeline.Core.Fft;

namespace EphysPipeline.Core;

/// <summary>
/// The numeric backends a run uses, chosen once at the composition root (the CLI) and handed to every engine.
/// Engines never pick one themselves, so one process never mixes FFTW and managed results.
/// </summary>
public sealed record ComputeBackends(IFftProvider Fft, IBlasProvider Blas);
