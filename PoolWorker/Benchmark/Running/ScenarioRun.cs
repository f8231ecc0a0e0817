using PoolWorker.Benchmark.Operations;
using PoolWorker.Benchmark.Variants;
using Microsoft.Extensions.Logging;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Runs scenarios 1–4: every variant, each round in a rotated order (so a drift in the machine's load does not
/// always land on the same variant), each run on a fresh client source, the rounds added up per variant.
/// </summary>
internal sealed class ScenarioRun(BenchmarkSettings settings, PoolMeterWatcher watcher, IBenchmarkProgress progress, ILoggerFactory loggerFactory)
{
    public async Task<IReadOnlyDictionary<VariantKind, RunMeasurement>> RunAsync(ScenarioKind scenario, OperationKind operationKind, CancellationToken cancellationToken)
    {
        var shape = ShapeOf(scenario);
        var operation = new QdrantOperation(operationKind, settings.Collection, settings.SeedPoints, settings.VectorSize);
        var totals = settings.Variants.ToDictionary(v => v, _ => new RunMeasurement());
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var variant in Rotate(settings.Variants, (int)scenario + round))
            {
                var label = $"{(int)scenario} {scenario.Name()} · {operationKind.Name()} · {variant.Name()} · round {round + 1}/{settings.Rounds}";
                var runName = $"bench-{(int)scenario}-{operationKind.Name()}-{variant.Name()}-{round + 1}-{Guid.NewGuid().ToString("N")[..6]}";
                var measurement = await RunVariantAsync(variant, runName, label, shape, operation, SeedOf(scenario, round), cancellationToken);
                totals[variant].Add(measurement);
            }
        }

        return totals;
    }

    /// <summary>Every variant of a round draws the same ids, so they do the same work.</summary>
    private int SeedOf(ScenarioKind scenario, int round) => settings.RandomSeed + (1_000 * (int)scenario) + (100 * round);

    public LoadShape ShapeOf(ScenarioKind scenario) => scenario switch
    {
        ScenarioKind.Saturation => LoadShape.Timed(settings.Clients[3], settings.SaturationDuration, settings.WarmupOperations),
        _ => LoadShape.Counted(settings.Clients[(int)scenario - 1], settings.Iterations, settings.WarmupOperations),
    };

    public static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int by)
    {
        for (var i = 0; i < items.Count; i++)
        {
            yield return items[(i + by) % items.Count];
        }
    }

    private async Task<RunMeasurement> RunVariantAsync(
        VariantKind variant, string runName, string label, LoadShape shape, QdrantOperation operation, int seed, CancellationToken cancellationToken)
    {
        // A trace of its own per scenario run, linked to the benchmark run's activity.
        using var activity = BenchmarkTracing.StartRoot("benchmark " + label);

        // A pool variant counts its pool's own connections; a baseline, the connections not open before it started
        // (another variant's, still closing). Both leave out the web host's DI pool, which reconnects at its own moment.
        using var ledger = new PoolSocketLedger(settings.Endpoint.Port, runName);
        var existing = ConnectionSampler.Existing(settings.Endpoint.Port);
        await using var source = ClientSources.Create(variant, settings, runName, loggerFactory);
        await source.InitializeAsync(cancellationToken);
        var counts = watcher.For(runName);
        var item = progress.Start(label, shape);
        var measurement = await LoadRunner.RunAsync(
            (random, token) => source.RunAsync((client, t) => operation.ExecuteAsync(client, random, t), token),
            recordAcquire: source.Pool is not null,
            shape,
            seed,
            settings.Endpoint.Port,
            source.Pool is not null ? ledger.IsOwn : end => !existing.Contains(end),
            item.Update,
            cancellationToken);

        if (source.Pool is { } pool)
        {
            // Warm-up included: a connection replaced then is still this run's own.
            measurement.HealthChecks = counts.HealthChecks;
            measurement.HealthCheckFailures = counts.HealthCheckFailures;
            measurement.ConnectionsCreated = pool.GetStats().ConnectionsCreated;
            foreach (var (reason, count) in counts.Recycled)
            {
                measurement.Recycled[reason] = count;
            }
        }

        item.Complete(measurement);
        return measurement;
    }
}
