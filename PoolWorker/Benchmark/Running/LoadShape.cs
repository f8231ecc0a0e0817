namespace PoolWorker.Benchmark.Running;

/// <summary>How much load one measured phase applies: a number of operations, or a duration, across some clients.</summary>
internal sealed record LoadShape(int Clients, long? Operations, TimeSpan? Duration, int WarmupOperations)
{
    public static LoadShape Counted(int clients, long operations, int warmup) => new(clients, operations, null, warmup);

    public static LoadShape Timed(int clients, TimeSpan duration, int warmup) => new(clients, null, duration, warmup);
}
