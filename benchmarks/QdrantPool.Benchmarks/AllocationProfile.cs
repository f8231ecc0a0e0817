using System.Diagnostics.Tracing;

namespace QdrantPool.Benchmarks;

/// <summary>
/// Where the bytes of a contended acquire+release come from: runs the exclusive-lease contended scenario under the
/// runtime's allocation sampling (one GC AllocationTick event per ~100 KB, tagged with the type that crossed the
/// mark) and prints the sampled types. Run with <c>--allocations</c>; not a BenchmarkDotNet benchmark.
/// </summary>
internal static class AllocationProfile
{
    private const int Tasks = 10;
    private const int CyclesPerTask = 20_000;

    public static async Task RunAsync()
    {
        await using var pool = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 1);
        await RunScenarioAsync(pool); // warm up: JIT, thread pool, tiered compilation

        using var listener = new AllocationTickListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await RunScenarioAsync(pool);
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;

        var cycles = Tasks * CyclesPerTask;
        Console.WriteLine($"Contended, exclusive leases: {cycles:N0} cycles, {bytes / (double)cycles:N1} B allocated per cycle (whole process).");
        Console.WriteLine("Sampled allocation types (share of AllocationTick samples):");
        var samples = listener.Snapshot();
        var total = samples.Values.Sum();
        foreach (var (type, count) in samples.OrderByDescending(pair => pair.Value).Take(15))
        {
            Console.WriteLine($"  {count * 100.0 / total,5:N1} %  {type}");
        }
    }

    private static async Task RunScenarioAsync(QdrantConnectionPool pool)
    {
        var workers = new Task[Tasks];
        for (var i = 0; i < Tasks; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                for (var cycle = 0; cycle < CyclesPerTask; cycle++)
                {
                    await using var lease = await pool.AcquireAsync();
                    await Task.Yield();
                }
            });
        }

        await Task.WhenAll(workers);
    }

    private sealed class AllocationTickListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly Dictionary<string, long> _types = [];

        public Dictionary<string, long> Snapshot()
        {
            lock (_types)
            {
                return new Dictionary<string, long>(_types);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
            {
                return;
            }

            var index = eventData.PayloadNames.IndexOf("TypeName");
            if (index >= 0 && eventData.Payload?[index] is string type)
            {
                lock (_types)
                {
                    _types[type] = _types.GetValueOrDefault(type) + 1;
                }
            }
        }
    }
}
