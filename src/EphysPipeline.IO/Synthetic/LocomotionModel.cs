namespace EphysPipeline.IO.Synthetic;

/// <summary>One bout of the synthetic animal's behaviour: running or resting from <see cref="Start"/> to <see cref="Stop"/> (s).</summary>
public readonly record struct LocomotionBout(double Start, double Stop, bool Running);

/// <summary>
/// The behaviour of a --behaviour session: alternating rest and running bouts (first a rest bout), the running share
/// moving from <see cref="SyntheticModel.BaselineRunningShare"/> to the drug's <see cref="DrugEffect.RunningShare"/> with
/// the drug ramp; the running speed and a position on a circular track sampled at <see cref="SyntheticModel.BehaviourRateHz"/>.
/// Seeded from the session seed on a stream of its own, so the LFP streams are the same with and without behaviour.
/// </summary>
public static class LocomotionModel
{
    /// <summary>The bouts covering [0, duration].</summary>
    public static IReadOnlyList<LocomotionBout> Bouts(SyntheticSessionSpec spec)
    {
        var random = new SynthRandom(spec.SessionSeed, 8);
        var bouts = new List<LocomotionBout>();
        var running = false;
        for (double t = 0; t < spec.DurationSeconds; running = !running)
        {
            var share = SyntheticModel.BaselineRunningShare
                + (spec.Drug.RunningShare - SyntheticModel.BaselineRunningShare) * SyntheticModel.Ramp(t, spec.InjectionSeconds);
            var meanRun = (SyntheticModel.RunBoutMinSeconds + SyntheticModel.RunBoutMaxSeconds) / 2;
            // Rest bouts uniform on [0.5, 1.5] × the mean that gives the share: mean rest = mean run × (1 − p) / p.
            var length = running
                ? SyntheticModel.RunBoutMinSeconds + (SyntheticModel.RunBoutMaxSeconds - SyntheticModel.RunBoutMinSeconds) * random.NextDouble()
                : meanRun * (1 - share) / share * (0.5 + random.NextDouble());
            var stop = Math.Min(t + length, spec.DurationSeconds);
            bouts.Add(new LocomotionBout(t, stop, running));
            t = stop;
        }
        return bouts;
    }

    /// <summary>Running speed (cm/s) at <see cref="SyntheticModel.BehaviourRateHz"/> from t = 0 through the end.</summary>
    public static double[] Speed(SyntheticSessionSpec spec, IReadOnlyList<LocomotionBout> bouts)
    {
        var random = new SynthRandom(spec.SessionSeed, 9);
        var count = (int)Math.Floor(spec.DurationSeconds * SyntheticModel.BehaviourRateHz) + 1;
        var speed = new double[count];
        var bout = 0;
        for (var i = 0; i < count; i++)
        {
            var t = i / SyntheticModel.BehaviourRateHz;
            while (bout < bouts.Count - 1 && t >= bouts[bout].Stop) bout++;
            var (low, high) = bouts[bout].Running
                ? (SyntheticModel.RunSpeedMin, SyntheticModel.RunSpeedMax)
                : (SyntheticModel.RestSpeedMin, SyntheticModel.RestSpeedMax);
            speed[i] = low + (high - low) * random.NextDouble();
        }
        return speed;
    }

    /// <summary>
    /// Position (cm, rows of x, y) on a circle of <see cref="SyntheticModel.TrackRadiusCm"/>: the angle advances by
    /// speed × dt / radius per sample, so the speed of the position (np.gradient) follows the speed series.
    /// </summary>
    public static double[] Position(double[] speed)
    {
        var position = new double[speed.Length * 2];
        var angle = 0.0;
        for (var i = 0; i < speed.Length; i++)
        {
            if (i > 0) angle += (speed[i - 1] + speed[i]) / 2 / SyntheticModel.BehaviourRateHz / SyntheticModel.TrackRadiusCm;
            position[2 * i] = SyntheticModel.TrackRadiusCm * Math.Cos(angle);
            position[2 * i + 1] = SyntheticModel.TrackRadiusCm * Math.Sin(angle);
        }
        return position;
    }
}
