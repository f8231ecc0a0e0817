using PoolWorker.Benchmark.Report;
using PoolWorker.Benchmark.Running;

namespace PoolWorker.Benchmark.EndToEnd;

/// <summary>
/// Scenario 6: scenarios 1–3's load through MemoryService's HTTP API (get by id and search), with the service's own
/// <c>GET /pool</c> figures after each run. Connections counted are this process's to MemoryService's port.
/// </summary>
internal sealed class EndToEndScenario(BenchmarkSettings settings, IBenchmarkProgress progress)
{
    private const int SeededMemories = 100;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken cancellationToken)
    {
        var url = settings.MemoryUrl ?? throw new InvalidOperationException("Scenario 6 needs --memory-url.");
        using var client = new MemoryServiceClient(url, settings.MemoryKey);
        var ids = await client.SeedAsync(SeededMemories, settings.RandomSeed, cancellationToken);
        var run = System.Diagnostics.Activity.Current?.Context;
        var results = new List<ScenarioResult>();
        ScenarioKind[] counted = [ScenarioKind.Sequential, ScenarioKind.Concurrent, ScenarioKind.HighConcurrency];
        var chosen = counted.Where(settings.Scenarios.Contains).ToList();
        foreach (var scenario in chosen.Count > 0 ? chosen : [.. counted])
        {
            var clients = settings.Clients[(int)scenario - 1];
            foreach (var operation in settings.Operations)
            {
                var shape = LoadShape.Counted(clients, settings.Iterations, settings.WarmupOperations);
                using var activity = BenchmarkTracing.StartRoot($"benchmark 6 end-to-end {operation.Name()} {clients} clients", run);
                var item = progress.Start($"6 end-to-end · {operation.Name()} · {clients} clients · memory-service", shape);
                var measurement = await LoadRunner.RunAsync(
                    async (random, token) =>
                    {
                        if (operation == OperationKind.Get)
                        {
                            await client.GetAsync(ids[random.Next(ids.Count)], token);
                        }
                        else
                        {
                            await client.SearchAsync(random, token);
                        }

                        return 0;
                    },
                    recordAcquire: false,
                    shape,
                    settings.RandomSeed + 6_000 + clients,
                    url.Port,
                    // The HTTP client keeps its connections from one run to the next: they are counted too.
                    _ => true,
                    item.Update,
                    cancellationToken);
                item.Complete(measurement);
                var pool = await client.PoolAsync(cancellationToken);
                var variant = ReportBuilder.Variant(VariantKinds.MemoryService, measurement, isPool: false) with { MemoryServicePool = pool };
                results.Add(new ScenarioResult(ScenarioKind.EndToEnd.Name(), (int)ScenarioKind.EndToEnd, clients, operation.Name(), [variant]));
            }
        }

        return results;
    }
}
