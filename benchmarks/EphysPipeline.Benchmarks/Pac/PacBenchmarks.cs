using System.Numerics;
using BenchmarkDotNet.Attributes;
using EphysPipeline.Phase;

namespace EphysPipeline.Benchmarks.Pac;

/// <summary>
/// Why: Tort's modulation index bins every sample's phase and amplitude (|z|) once per channel and amplitude
/// band; at two amplitude bands it touches each sample twice per channel, so per-sample cost matters.
/// What: <see cref="ModulationIndexAccumulator"/> (18 bins) over channels × minutes at 1 kHz, analytic signals
/// given in 30 s blocks as the runner feeds them; one amplitude band; against the atan2-per-sample path it replaced.
/// </summary>
[MemoryDiagnoser]
public class PacBenchmarks
{
    private const double Rate = 1000;
    private Complex[] _phase = [];
    private Complex[] _amplitude = [];

    [Params(8, 32)]
    public int Channels { get; set; }

    [Params(5)]
    public int Minutes { get; set; }

    private int BlockSamples => (int)(30 * Rate);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(11);
        _phase = new Complex[BlockSamples];
        _amplitude = new Complex[BlockSamples];
        for (int i = 0; i < BlockSamples; i++)
        {
            _phase[i] = Complex.FromPolarCoordinates(1, i * 0.05);
            _amplitude[i] = Complex.FromPolarCoordinates(1 + 0.3 * Math.Cos(i * 0.05) + 0.1 * rng.NextDouble(), i * 0.4);
        }
    }

    [Benchmark(Baseline = true, Description = "atan2 and √ per sample, then the bins (the earlier path)")]
    public double AtanPerSample()
    {
        double sum = 0;
        long total = (long)(Minutes * 60 * Rate);
        var phases = new double[BlockSamples];
        var amplitudes = new double[BlockSamples];
        for (int c = 0; c < Channels; c++)
        {
            var accumulator = new ModulationIndexAccumulator(18);
            for (long done = 0; done < total; done += BlockSamples)
            {
                for (int t = 0; t < BlockSamples; t++)
                {
                    phases[t] = Math.Atan2(_phase[t].Imaginary, _phase[t].Real);
                    amplitudes[t] = Math.Sqrt(_amplitude[t].Real * _amplitude[t].Real + _amplitude[t].Imaginary * _amplitude[t].Imaginary);
                }
                accumulator.Append(phases, amplitudes);
            }
            sum += accumulator.Result().Mi;
        }
        return sum;
    }

    [Benchmark(Description = "Tort MI accumulators, 18 bins, 30 s blocks")]
    public double AllChannels()
    {
        double sum = 0;
        long total = (long)(Minutes * 60 * Rate);
        for (int c = 0; c < Channels; c++)
        {
            var accumulator = new ModulationIndexAccumulator(18);
            for (long done = 0; done < total; done += BlockSamples) accumulator.Append(_phase, _amplitude);
            sum += accumulator.Result().Mi;
        }
        return sum;
    }
}
