using EphysPipeline.Preprocessing.States;

namespace EphysPipeline.Preprocessing.Tests.States;

public class StateDetectionTests
{
    [Fact]
    public void SpeedFromPositionEqualsNumpyGradientOnUnevenTimes()
    {
        // /usr/bin/python3: t = [0, .1, .3, .4, .7]; np.hypot(np.gradient(x, t), np.gradient(y, t)) for the x, y below.
        double[] times = [0, 0.1, 0.3, 0.4, 0.7];
        double[] xy = [0, 1, 1, 0, 1.5, 2, 3, 2, 2, -1];
        double[] numpy = [14.142135623730951, 8.207381501496753, 11.33455875727953, 10.712466776818694, 10.5409255338946];
        var speed = StateDetection.Speed(times, xy, 2);
        for (int i = 0; i < numpy.Length; i++) Assert.Equal(numpy[i], speed[i], 1e-12);
    }

    [Fact]
    public void ThresholdWithHysteresisHoldsTheStateUntilTheValueCrossesBack()
    {
        double[] times = [0, 1, 2, 3, 4, 5, 6, 7];
        double[] speed = [0, 4, 2.5, 2.1, 1.9, 5, double.NaN, 4];
        // above 3 with hysteresis 1: in at 4, stays in at 2.5 and 2.1 (≥ 2), out at 1.9; in at 5, NaN leaves; the last
        // sample holds for the median step (1 s).
        Assert.Equal([new(1, 4), new(5, 6), new(7, 8)], StateDetection.Threshold(times, speed, above: 3, below: null, hysteresis: 1));
        Assert.Equal([new(1, 2), new(5, 6), new(7, 8)], StateDetection.Threshold(times, speed, above: 3, below: null, hysteresis: 0));
        Assert.Equal([new(0, 1), new(4, 5)], StateDetection.Threshold(times, speed, above: null, below: 2, hysteresis: 0));
        Assert.Throws<ArgumentException>(() => StateDetection.Threshold(times, speed, 1, 2, 0));
    }

    [Fact]
    public void BoutsUnionClipAndTimeWithin()
    {
        var bouts = StateDetection.MinimumBouts([new(0, 0.5), new(1, 3), new(4, 4.9), new(5, 7)], 1);
        Assert.Equal([new(1, 3), new(5, 7)], bouts);
        Assert.Equal([new(0, 3), new(4, 6)], StateDetection.Union([new(4, 5), new(0, 2), new(1, 3), new(5, 6), new(2, 2)]));
        Assert.Equal([new(2, 3), new(5, 6)], StateDetection.Clip(bouts, 2, 6));
        Assert.Equal(2, StateDetection.TimeWithin(bouts, 2, 6));
    }

    [Fact]
    public void MovingAverageIsCentredAndSkipsNaN()
    {
        double[] times = [0, 1, 2, 3, 4];
        double[] values = [1, 2, double.NaN, 4, 5];
        var smooth = StateDetection.MovingAverage(times, values, 2);
        Assert.Equal([1.5, 1.5, 3, 4.5, 4.5], smooth);
        Assert.Equal(values, StateDetection.MovingAverage(times, values, 0));
    }
}
