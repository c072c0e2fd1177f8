namespace EphysPipeline.Core;

/// <summary>
/// How the engines spread independent items (channels, tiles) over threads. Each item's result must not depend on
/// the thread that computed it, so the output bits never depend on the thread count.
/// </summary>
public static class WorkSplit
{
    /// <summary>Items 0..count−1 on up to <paramref name="threads"/> threads; on the calling thread when threads ≤ 1.</summary>
    public static void For(int count, int threads, Action<int> body)
    {
        if (threads <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>
    /// Items 0..count−1 on <paramref name="workers"/> workers, each taking the next item not yet taken:
    /// body(worker, item), the worker index naming the scratch (filters, transforms) that worker owns. A worker slowed
    /// by anything else on its core does not hold the others up.
    /// </summary>
    public static void ForEachByWorker(int workers, int count, Action<int, int> body)
    {
        if (workers <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++) body(0, i);
            return;
        }
        int next = -1;
        Parallel.For(0, Math.Min(workers, count), new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < count;) body(w, i);
        });
    }
}
