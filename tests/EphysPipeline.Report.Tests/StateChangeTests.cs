using EphysPipeline.Report.Changes;
using EphysPipeline.Report.Inputs;
using Xunit;

namespace EphysPipeline.Report.Tests;

/// <summary>Changes per state take their reference in the same state; time in state is an outcome; q families per state.</summary>
public class StateChangeTests
{
    private const string Metrics = """
        session,subject,drug,dose_mg_kg,epoch,state,channel,region,metric,band,value,n_windows,status
        s1,m01,ketamine,10,baseline,all,0,HPC,band_power,theta,1,10,ok
        s1,m01,ketamine,10,acute,all,0,HPC,band_power,theta,10,10,ok
        s1,m01,ketamine,10,baseline,run,0,HPC,band_power,theta,2,4,ok
        s1,m01,ketamine,10,acute,run,0,HPC,band_power,theta,0.2,4,ok
        """;

    [Fact]
    public void EachStatesChangeIsAgainstTheReferenceInThatState()
    {
        var changes = new SubjectChanges();
        ChangeExtractor.FromMetrics(CsvTable.Parse(Metrics), "metrics.csv", "baseline", changes);
        var values = changes.SessionValues().ToDictionary(v => v.Key.Outcome.State, v => v.Value);
        Assert.Equal(10.0, values["all"], 12);   // 10·log10(10 / 1)
        Assert.Equal(-10.0, values["run"], 12);  // 10·log10(0.2 / 2)
    }

    [Fact]
    public void TablesWithoutAStateColumnArePooled()
    {
        var old = string.Join('\n', Metrics.Split('\n').Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 5))).Take(3));
        var changes = new SubjectChanges();
        ChangeExtractor.FromMetrics(CsvTable.Parse(old), "metrics.csv", "baseline", changes);
        var value = Assert.Single(changes.SessionValues());
        Assert.True(value.Key.Outcome.Pooled);
        Assert.Equal(10.0, value.Value, 12);
    }

    [Fact]
    public void TimeInStateIsAPercentOfTheEpochAndItsChangeInPoints()
    {
        var sessions = CsvTable.Parse("""
            session,subject,drug,dose_mg_kg,status,stage,reason,duration_s,sample_rate_hz,channels,good_channels,bad_channels,epoch,epoch_start_s,epoch_end_s,rejected_fraction,time_run_s
            s1,m01,ketamine,10,ok,,,600,1000,4,4,,baseline,-200,-20,0,45
            s1,m01,ketamine,10,ok,,,600,1000,4,4,,acute,40,140,0,60
            """);
        var changes = new SubjectChanges();
        var levels = new SubjectChanges();
        ChangeExtractor.FromSessions(sessions, "sessions.csv", "baseline", changes, levels);
        var change = Assert.Single(changes.SessionValues());
        Assert.Equal(("acute", "run", ChangeExtractor.TimeInStateMetric, "percentage points"),
            (change.Key.Epoch, change.Key.Outcome.State, change.Key.Outcome.Metric, change.Key.Outcome.Unit));
        Assert.Equal(60.0 - 25.0, change.Value, 12);
        Assert.Equal([25.0, 60.0], levels.SessionValues().Select(v => Math.Round(v.Value, 12)));
    }

    [Fact]
    public void QValuesAreComputedPerStateFamily()
    {
        GroupStatistic Row(string state, double p)
        {
            var key = new GroupKey("ketamine", "acute", new Outcome("metrics", "band_power", "theta", "HPC", "dB") { State = state });
            var g = GroupStatistic.Compute(key, StudyDesign.WithinSubject, [new("m01", 1), new("m02", 2), new("m03", 3)], 0, null, false);
            return g with { T = g.T with { P = p } };
        }
        var pooled = new[] { Row("all", 0.01), Row("all", 0.04) };
        GroupStatistic.AssignQValues(pooled);
        var qPooled = pooled.Select(g => g.TQ).ToArray();
        var mixed = new[] { Row("all", 0.01), Row("all", 0.04), Row("run", 0.001), Row("run", 0.5) };
        GroupStatistic.AssignQValues(mixed);
        Assert.Equal(qPooled, mixed.Take(2).Select(g => g.TQ));
        Assert.Equal([0.002, 0.5], mixed.Skip(2).Select(g => Math.Round(g.TQ, 12)));
    }
}
