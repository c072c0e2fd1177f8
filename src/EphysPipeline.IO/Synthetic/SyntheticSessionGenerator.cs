namespace EphysPipeline.IO.Synthetic;

/// <summary>A synthetic unit and its spike train (grows as the generator advances).</summary>
public sealed class SyntheticUnit
{
    internal readonly List<double> Spikes = [];

    internal SyntheticUnit(int id, int channel, string region, double baseRateHz, double preferredPhase)
    {
        Id = id;
        Channel = channel;
        Region = region;
        BaseRateHz = baseRateHz;
        PreferredPhase = preferredPhase;
    }

    public int Id { get; }

    /// <summary>Channel (electrode row) the unit was recorded on.</summary>
    public int Channel { get; }

    public string Region { get; }

    /// <summary>Mean firing rate before the drug (Hz).</summary>
    public double BaseRateHz { get; }

    /// <summary>Local theta phase of maximal firing (rad).</summary>
    public double PreferredPhase { get; }

    /// <summary>Ascending spike times (s) generated so far.</summary>
    public IReadOnlyList<double> SpikeTimes => Spikes;
}

/// <summary>A movement artifact: a half-sine of ±<see cref="SyntheticModel.ArtifactPeakVolts"/> on every channel.</summary>
public readonly record struct ArtifactEvent(double Start, double Stop, double Sign);

/// <summary>
/// Streams one synthetic session: <see cref="Fill"/> writes the next rows (samples × channels, int16 counts of
/// <see cref="SyntheticModel.Conversion"/> volts) and extends the spike trains. Sequential and seeded: the output
/// depends only on the spec, never on block sizes or threads. Not thread-safe.
/// </summary>
public sealed class SyntheticSessionGenerator
{
    private const int PfcIndex = 0;
    private const int HpcIndex = 1;

    private readonly SyntheticSessionSpec _spec;
    private readonly double _fs;
    private readonly int _channels;
    private readonly int[] _region;
    private readonly double[] _gain;
    private readonly double[] _artifactGain;
    private readonly double[] _thetaCos, _thetaSin, _deltaCos, _deltaSin;
    private readonly SynthRandom _rhythmRandom, _backgroundRandom, _unitRandom;
    private readonly SynthRandom[] _channelRandom;
    private readonly WanderingOscillator _theta;
    private readonly WanderingOscillator[] _delta;
    private readonly WanderingOscillator[] _independentTheta;
    private readonly PinkNoiseFilter[] _sharedBackground;
    private readonly PinkNoiseFilter[] _channelBackground;
    private readonly Resonator[] _lowGamma, _highGamma;
    private readonly SyntheticUnit[] _units;
    private readonly int[] _unitStart;
    private readonly double[] _unitCos, _unitSin, _lastSpike;
    private readonly ArtifactEvent[] _artifacts;
    private readonly IReadOnlyList<LocomotionBout> _bouts;
    private int _bout;
    private double _kappaForNorm = double.NaN;
    private double _vonMisesNorm;
    private double _peakFactor;

    public SyntheticSessionGenerator(SyntheticSessionSpec spec)
    {
        spec.Validate();
        _spec = spec;
        _fs = spec.SampleRate;
        _channels = spec.ChannelCount;
        SampleCount = spec.SampleCount;
        var seed = spec.SessionSeed;

        _rhythmRandom = new SynthRandom(seed, 1);
        _backgroundRandom = new SynthRandom(seed, 2);
        _unitRandom = new SynthRandom(seed, 4);
        var setup = new SynthRandom(seed, 5);

        _theta = new WanderingOscillator(_fs, SyntheticModel.ThetaHz, 0.5, 0.2, setup.NextDouble() * 2 * Math.PI);
        _delta = [.. Enumerable.Range(0, 2).Select(_ => new WanderingOscillator(_fs, SyntheticModel.DeltaHz, 0.3, 0.2, setup.NextDouble() * 2 * Math.PI))];
        var warmUp = (int)(5 * _fs);
        _sharedBackground = new PinkNoiseFilter[2];
        for (var g = 0; g < 2; g++)
        {
            _sharedBackground[g] = new PinkNoiseFilter(_fs, SyntheticModel.BackgroundExponent);
            _sharedBackground[g].WarmUp(_backgroundRandom, warmUp);
        }

        _region = new int[_channels];
        _gain = new double[_channels];
        _artifactGain = new double[_channels];
        _thetaCos = new double[_channels];
        _thetaSin = new double[_channels];
        _deltaCos = new double[_channels];
        _deltaSin = new double[_channels];
        _channelRandom = new SynthRandom[_channels];
        _independentTheta = new WanderingOscillator[_channels];
        _channelBackground = new PinkNoiseFilter[_channels];
        _lowGamma = new Resonator[_channels];
        _highGamma = new Resonator[_channels];
        var units = new List<SyntheticUnit>();
        _unitStart = new int[_channels + 1];
        for (var c = 0; c < _channels; c++)
        {
            var g = spec.RegionOf(c) == "PFC" ? PfcIndex : HpcIndex;
            _region[c] = g;
            _gain[c] = 0.9 + 0.2 * setup.NextDouble();
            _artifactGain[c] = 0.8 + 0.4 * setup.NextDouble();
            var thetaOffset = (g == PfcIndex ? SyntheticModel.PfcThetaLag : 0) + SyntheticModel.ChannelPhaseSpread * (2 * setup.NextDouble() - 1);
            (_thetaSin[c], _thetaCos[c]) = Math.SinCos(thetaOffset);
            (_deltaSin[c], _deltaCos[c]) = Math.SinCos(SyntheticModel.ChannelPhaseSpread * (2 * setup.NextDouble() - 1));
            _independentTheta[c] = new WanderingOscillator(_fs, SyntheticModel.ThetaHz, 0.5, 0.2, setup.NextDouble() * 2 * Math.PI);

            var random = _channelRandom[c] = new SynthRandom(seed, 100 + (ulong)c);
            _channelBackground[c] = new PinkNoiseFilter(_fs, SyntheticModel.BackgroundExponent);
            _channelBackground[c].WarmUp(random, warmUp);
            _lowGamma[c] = new Resonator(_fs, SyntheticModel.LowGammaHz, SyntheticModel.LowGammaBandwidthHz);
            _highGamma[c] = new Resonator(_fs, SyntheticModel.HighGammaHz, SyntheticModel.HighGammaBandwidthHz);
            for (var i = 0; i < (int)_fs; i++)
            {
                _lowGamma[c].Next(random.NextUniformUnitVariance());
                _highGamma[c].Next(random.NextUniformUnitVariance());
            }

            _unitStart[c] = units.Count;
            var count = 1 + (int)(setup.NextUInt64() & 1);
            if (spec.UnitsPerChannel is { } perChannel) count = perChannel;
            for (var u = 0; u < count; u++)
                units.Add(new SyntheticUnit(units.Count, c, spec.RegionOf(c), 2 + 8 * setup.NextDouble(), setup.NextDouble() * 2 * Math.PI));
        }
        _unitStart[_channels] = units.Count;
        _units = [.. units];
        _unitCos = [.. _units.Select(u => Math.Cos(u.PreferredPhase))];
        _unitSin = [.. _units.Select(u => Math.Sin(u.PreferredPhase))];
        _lastSpike = [.. _units.Select(_ => double.NegativeInfinity)];
        _artifacts = PlaceArtifacts(new SynthRandom(seed, 3), spec.DurationSeconds);
        _bouts = spec.Behaviour ? LocomotionModel.Bouts(spec) : [];
    }

    public SyntheticSessionSpec Spec => _spec;

    public int ChannelCount => _channels;

    /// <summary>Samples per channel in the whole session.</summary>
    public long SampleCount { get; }

    /// <summary>Next sample <see cref="Fill"/> will write.</summary>
    public long Position { get; private set; }

    /// <summary>The session's units (spike trains cover the samples generated so far).</summary>
    public IReadOnlyList<SyntheticUnit> Units => _units;

    /// <summary>Movement artifacts of the session (fixed at construction).</summary>
    public IReadOnlyList<ArtifactEvent> Artifacts => _artifacts;

    /// <summary>Rest and running bouts (empty without <see cref="SyntheticSessionSpec.Behaviour"/>).</summary>
    public IReadOnlyList<LocomotionBout> Bouts => _bouts;

    /// <summary>
    /// Writes the next rows.Length / ChannelCount samples, row-major (rows[t * ChannelCount + c]).
    /// </summary>
    public void Fill(Span<short> rows)
    {
        if (rows.Length % _channels != 0)
            throw new ArgumentException($"block length {rows.Length} is not a multiple of {_channels} channels", nameof(rows));
        var count = rows.Length / _channels;
        if (Position + count > SampleCount)
            throw new ArgumentException($"block of {count} samples runs past the end ({SampleCount - Position} left)", nameof(rows));

        var effect = _spec.Drug;
        Span<double> background = stackalloc double[2];
        Span<double> deltaCos = stackalloc double[2];
        Span<double> deltaSin = stackalloc double[2];
        Span<double> deltaEnvelope = stackalloc double[2];
        const double sqrt2 = 1.4142135623730951;
        var lowNorm = 1 / Math.Sqrt(1 + SyntheticModel.LowGammaModulation * SyntheticModel.LowGammaModulation / 2);
        var highNorm = 1 / Math.Sqrt(1 + SyntheticModel.HighGammaModulation * SyntheticModel.HighGammaModulation / 2);

        for (var i = 0; i < count; i++)
        {
            var n = Position + i;
            var t = n / _fs;
            var ramp = SyntheticModel.Ramp(t, _spec.InjectionSeconds);
            var deltaAmp = Math.Sqrt(1 + (effect.DeltaPower - 1) * ramp);
            var thetaAmp = Math.Sqrt(1 + (effect.ThetaPower - 1) * ramp);
            var gammaAmp = Math.Sqrt(1 + (effect.GammaPower - 1) * ramp);
            if (_bouts.Count > 0)
            {
                while (_bout < _bouts.Count - 1 && t >= _bouts[_bout].Stop) _bout++;
                if (_bouts[_bout].Running)
                {
                    thetaAmp *= Math.Sqrt(SyntheticModel.RunningThetaPower);
                    gammaAmp *= Math.Sqrt(SyntheticModel.RunningGammaPower);
                }
            }
            var independence = effect.ThetaIndependence * ramp;
            var common = Math.Sqrt(1 - independence);
            var own = Math.Sqrt(independence);
            var pfcRate = 1 + (effect.PfcRate - 1) * ramp;
            var kappa = SyntheticModel.BaselineKappa + (effect.UnitKappa - SyntheticModel.BaselineKappa) * ramp;
            if (kappa != _kappaForNorm)
            {
                _kappaForNorm = kappa;
                _vonMisesNorm = 1 / SyntheticModel.BesselI0(kappa);
                _peakFactor = Math.Exp(Math.Abs(kappa));
            }

            _theta.Step(_rhythmRandom);
            var (thetaSin, thetaCos) = Math.SinCos(_theta.Phase);
            var thetaEnvelope = _theta.Envelope;
            for (var g = 0; g < 2; g++)
            {
                _delta[g].Step(_rhythmRandom);
                (deltaSin[g], deltaCos[g]) = Math.SinCos(_delta[g].Phase);
                deltaEnvelope[g] = _delta[g].Envelope;
                background[g] = _sharedBackground[g].Next(_backgroundRandom.NextGaussian());
            }
            var artifact = ArtifactAt(t);

            var row = rows.Slice(i * _channels, _channels);
            for (var c = 0; c < _channels; c++)
            {
                var g = _region[c];
                var random = _channelRandom[c];

                // Local theta as an analytic signal: common phase (rotated by the channel's lag) plus, under
                // psilocybin, an independent per-channel rhythm of equal mean power.
                var zr = common * (thetaCos * _thetaCos[c] - thetaSin * _thetaSin[c]);
                var zi = common * (thetaSin * _thetaCos[c] + thetaCos * _thetaSin[c]);
                if (effect.ThetaIndependence > 0) _independentTheta[c].Step(random);
                if (own > 0)
                {
                    var (s, co) = Math.SinCos(_independentTheta[c].Phase);
                    zr += own * co;
                    zi += own * s;
                }
                var magnitude = Math.Sqrt(zr * zr + zi * zi);
                double phaseCos = 1, phaseSin = 0;
                if (magnitude > 0)
                {
                    phaseCos = zr / magnitude;
                    phaseSin = zi / magnitude;
                }

                var theta = sqrt2 * SyntheticModel.ThetaRms[g] * thetaAmp * thetaEnvelope * zr;
                var delta = sqrt2 * SyntheticModel.DeltaRms[g] * deltaAmp * deltaEnvelope[g]
                    * (deltaCos[g] * _deltaCos[c] - deltaSin[g] * _deltaSin[c]);
                // PAC: low gamma peaks at the theta trough (phase π), high gamma at the peak (phase 0).
                var lowEnvelope = (1 - SyntheticModel.LowGammaModulation * phaseCos) * lowNorm;
                var highEnvelope = (1 + SyntheticModel.HighGammaModulation * phaseCos) * highNorm;
                var gamma = gammaAmp * (SyntheticModel.LowGammaRms[g] * lowEnvelope * _lowGamma[c].Next(random.NextUniformUnitVariance())
                    + SyntheticModel.HighGammaRms[g] * highEnvelope * _highGamma[c].Next(random.NextUniformUnitVariance()));
                var noise = SyntheticModel.SharedBackgroundRms * background[g]
                    + SyntheticModel.ChannelBackgroundRms * _channelBackground[c].Next(random.NextUniformUnitVariance());
                var volts = _gain[c] * (theta + delta + gamma + noise)
                    + SyntheticModel.WhiteFloorRms * random.NextUniformUnitVariance()
                    + _artifactGain[c] * artifact;
                row[c] = (short)Math.Clamp(Math.Round(volts / SyntheticModel.Conversion), short.MinValue, short.MaxValue);

                var rate = g == PfcIndex ? pfcRate : 1.0;
                for (var u = _unitStart[c]; u < _unitStart[c + 1]; u++)
                {
                    // Bernoulli per sample with p = λ/fs. The draw is first compared with the bound at e^κ, so the
                    // exp runs only for the few draws that could fire; the outcome is exactly that of u < p.
                    var scale = _units[u].BaseRateHz * rate * _vonMisesNorm / _fs;
                    var draw = _unitRandom.NextDouble();
                    if (draw >= scale * _peakFactor) continue;
                    if (draw >= scale * Math.Exp(kappa * (phaseCos * _unitCos[u] + phaseSin * _unitSin[u]))) continue;
                    var spike = (n + _unitRandom.NextDouble()) / _fs;
                    if (spike - _lastSpike[u] < SyntheticModel.RefractorySeconds) continue;
                    _lastSpike[u] = spike;
                    _units[u].Spikes.Add(spike);
                }
            }
        }
        Position += count;
    }

    private double ArtifactAt(double t)
    {
        foreach (var a in _artifacts)
        {
            if (t >= a.Start && t < a.Stop)
                return a.Sign * SyntheticModel.ArtifactPeakVolts * Math.Sin(Math.PI * (t - a.Start) / (a.Stop - a.Start));
        }
        return 0;
    }

    private static ArtifactEvent[] PlaceArtifacts(SynthRandom random, double duration)
    {
        // 0, 1 or 2 artifacts per session, 100–300 ms, anywhere at least 10 s from the ends.
        var count = (int)(random.NextUInt64() % 3);
        var events = new ArtifactEvent[count];
        for (var k = 0; k < count; k++)
        {
            var length = 0.1 + 0.2 * random.NextDouble();
            var start = 10 + (duration - 20 - length) * random.NextDouble();
            var sign = (random.NextUInt64() & 1) == 0 ? 1.0 : -1.0;
            events[k] = new ArtifactEvent(start, start + length, sign);
        }
        Array.Sort(events, (a, b) => a.Start.CompareTo(b.Start));
        return events;
    }
}
