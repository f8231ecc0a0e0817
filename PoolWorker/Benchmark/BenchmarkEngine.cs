using Microsoft.Extensions.Logging;
using PoolWorker.Benchmark.EndToEnd;
using PoolWorker.Benchmark.Recovery;
using PoolWorker.Benchmark.Report;
using PoolWorker.Benchmark.Running;
using PoolWorker.Benchmark.Seeding;
using Qdrant.Client;

namespace PoolWorker.Benchmark;

/// <summary>
/// One benchmark run, start to report: seed PoolWorker's collection, scenarios 1–4 for every variant and operation,
/// recovery (5) when a restarter is given, end to end (6) when MemoryService's URL is given, then the comparisons and
/// the criteria. Writing the files is the caller's (see <see cref="ReportFiles"/>).
/// </summary>
internal sealed class BenchmarkEngine(BenchmarkSettings settings, IBenchmarkProgress progress, ILoggerFactory loggerFactory, IServerRestarter? restarter, CollectionSeeding? seeding = null)
{
    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = MachineProbe.LoadAverage();

        // Read now: the working tree may move on while a long run measures the binary built from this commit.
        var gitCommit = MachineProbe.GitCommit();
        using var watcher = new PoolMeterWatcher();

        progress.Message($"Seeding collection '{settings.Collection}' ({settings.SeedPoints:N0} points) on {settings.Endpoint}.");
        using (var seedClient = new QdrantClient(settings.Endpoint, apiKey: settings.ApiKey))
        {
            // The web host's start-up seeding may be under way: wait for it rather than recreate the collection under it.
            var logger = loggerFactory.CreateLogger("PoolWorker.Benchmark");
            var seed = seeding is null
                ? CollectionSeeder.SeedAsync(seedClient, settings.Collection, settings.SeedPoints, settings.VectorSize, settings.RandomSeed, logger, cancellationToken)
                : seeding.SeedAsync(seedClient, settings.Collection, settings.SeedPoints, settings.VectorSize, settings.RandomSeed, logger, cancellationToken);
            await seed;
        }

        var scenarios = new List<ScenarioResult>();
        var skipped = new List<SkippedScenario>();
        var run = new ScenarioRun(settings, watcher, progress, loggerFactory);
        foreach (var scenario in settings.Scenarios.Where(s => s <= ScenarioKind.Saturation).Order())
        {
            foreach (var operation in settings.Operations)
            {
                var totals = await run.RunAsync(scenario, operation, cancellationToken);
                var shape = run.ShapeOf(scenario);
                scenarios.Add(new ScenarioResult(
                    scenario.Name(), (int)scenario, shape.Clients, operation.Name(),
                    settings.Variants.Select(v => ReportBuilder.Variant(v.Name(), totals[v], v.IsPool())).ToList()));
            }
        }

        if (settings.Scenarios.Contains(ScenarioKind.Recovery))
        {
            if (restarter is null)
            {
                skipped.Add(new SkippedScenario(ScenarioKind.Recovery.Name(), settings.NoRestarterReason));
            }
            else
            {
                scenarios.Add(await new RecoveryScenario(settings, watcher, progress, loggerFactory).RunAsync(restarter, cancellationToken));
            }
        }

        if (settings.Scenarios.Contains(ScenarioKind.EndToEnd))
        {
            if (settings.MemoryUrl is null)
            {
                skipped.Add(new SkippedScenario(ScenarioKind.EndToEnd.Name(), "no --memory-url given: MemoryService was not measured"));
            }
            else
            {
                scenarios.AddRange(await new EndToEndScenario(settings, progress).RunAsync(cancellationToken));
            }
        }

        var judged = settings.Operations.Contains(OperationKind.Get) ? OperationKind.Get.Name() : settings.Operations[0].Name();
        var noise = ReportBuilder.Noise(scenarios, judged);
        var criteria = Criteria.Evaluate(scenarios, skipped, settings.PoolMaxSize, noise, judged);
        return new BenchmarkReport(
            BenchmarkReport.CurrentSchemaVersion,
            DateTimeOffset.UtcNow,
            gitCommit,
            MachineProbe.Describe(loadAtStart, MachineProbe.LoadAverage()),
            Describe(settings),
            scenarios,
            skipped,
            ReportBuilder.Comparisons(scenarios),
            noise,
            criteria,
            Passed: criteria.All(c => c.Passed != false));
    }

    private static SettingsInfo Describe(BenchmarkSettings s) => new(
        s.Endpoint.ToString(),
        s.EndpointNote,
        !string.IsNullOrEmpty(s.ApiKey),
        s.Iterations,
        s.Scenarios.Select(x => x.Name()).ToList(),
        s.Variants.Select(x => x.Name()).ToList(),
        s.Operations.Select(x => x.Name()).ToList(),
        s.Clients,
        s.RecoveryClients,
        s.SaturationDuration.TotalSeconds,
        s.WarmupOperations,
        s.Rounds,
        s.PoolMaxSize,
        new QdrantPool.QdrantConnectionPoolOptions().MaxLeasesPerConnection,
        s.Collection,
        s.SeedPoints,
        s.VectorSize,
        s.RandomSeed,
        s.RestartCommand,
        s.MemoryUrl?.ToString());
}
