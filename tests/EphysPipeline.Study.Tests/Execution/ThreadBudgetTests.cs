using EphysPipeline.Study.Execution;

namespace EphysPipeline.Study.Tests.Execution;

/// <summary>Sessions run at once share one thread budget: sessions × threads never exceeds it.</summary>
public class ThreadBudgetTests
{
    [Theory]
    [InlineData(16, 16, 100, 1)]    // --jobs 16 on 16 cores: one thread each, not 16
    [InlineData(16, 4, 100, 4)]
    [InlineData(16, 4, 2, 8)]       // only two sessions to do: they get half the cores each
    [InlineData(16, 1, 100, 16)]
    [InlineData(2, 8, 100, 1)]      // more jobs than threads: never below one
    [InlineData(64, 3, 100, 21)]
    public void SessionsTimesThreadsStaysWithinTheBudget(int threads, int jobs, int sessions, int expected)
    {
        var options = new RunOptions { Jobs = jobs, Threads = threads };
        int perSession = StudyRunner.ThreadsPerSession(options, sessions);
        Assert.Equal(expected, perSession);
        Assert.True(perSession * Math.Min(Math.Min(jobs, sessions), threads) <= threads);
    }

    [Fact]
    public void DefaultBudgetIsTheCpuCount()
    {
        Assert.Equal(Environment.ProcessorCount, StudyRunner.ThreadsPerSession(new RunOptions { Jobs = 1 }, 5));
    }
}
