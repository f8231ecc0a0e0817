using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using PoolWorker.Benchmark.Operations;
using PoolWorker.Benchmark.Report;
using PoolWorker.Benchmark.Running;
using QdrantPool;

namespace PoolWorker.Benchmark.Recovery;

/// <summary>
/// Scenario 5: the default pool under steady load from several clients, through <c>ExecuteAsync</c> (retries and
/// circuit breaker included, as a service uses it), while the server is restarted. It reports the failed
/// operations, the time from the restart to the first success, the time until every pooled connection is healthy
/// again, and whether each broken connection was replaced.
/// </summary>
internal sealed class RecoveryScenario(BenchmarkSettings settings, PoolMeterWatcher watcher, IBenchmarkProgress progress, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan SteadyBeforeRestart = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SteadyAfterRecovery = TimeSpan.FromSeconds(1);

    public async Task<ScenarioResult> RunAsync(IServerRestarter restarter, CancellationToken cancellationToken)
    {
        using var activity = BenchmarkTracing.StartRoot("benchmark 5 recovery");
        var runName = "bench-5-recovery-" + Guid.NewGuid().ToString("N")[..6];
        // Its pool's own connections only: under the web host PoolWorker's DI pool reconnects after the same restart.
        using var ledger = new PoolSocketLedger(settings.Endpoint.Port, runName);
        await using var pool = new QdrantConnectionPool(
            new QdrantConnectionPoolOptions
            {
                Name = runName,
                Endpoint = settings.Endpoint,
                ApiKey = settings.ApiKey,
                MaxSize = settings.PoolMaxSize,
                HealthCheckCollection = settings.Collection,
            },
            loggerFactory);
        await pool.InitializeAsync(cancellationToken);
        var counts = watcher.For(runName);
        var operation = new QdrantOperation(OperationKind.Get, settings.Collection, settings.SeedPoints, settings.VectorSize);
        var item = progress.Start($"5 recovery · get · pool-shared · restart: {restarter.Description}", LoadShape.Timed(settings.RecoveryClients, RecoveryLimit, 0));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var restartEnd = long.MaxValue;
        var firstSuccessAfterRestart = long.MaxValue;
        var completed = 0L;
        var states = Enumerable.Range(0, settings.RecoveryClients).Select(i => new ClientState(settings.RandomSeed + 5_000 + i)).ToArray();

        async Task ClientAsync(ClientState state)
        {
            while (!stop.IsCancellationRequested)
            {
                var began = clock.ElapsedTicks;
                try
                {
                    await PoolCalls.ReadAsync(pool, (client, token) => operation.ExecuteAsync(client, state.Random, token), stop.Token);
                    state.Latency.RecordTicks(clock.ElapsedTicks - began);
                    state.Successes++;
                    if (began >= Volatile.Read(ref restartEnd))
                    {
                        InterlockedMin(ref firstSuccessAfterRestart, clock.ElapsedTicks);
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // Stopping cancels the calls in flight (the client reports it as RpcException Cancelled): not a failure.
                    break;
                }
                catch (Exception e)
                {
                    state.Errors.Add(e);
                }

                Interlocked.Increment(ref completed);
            }
        }

        await using var sampler = new ConnectionSampler(settings.Endpoint.Port, ledger.IsOwn, () => item.Update(Interlocked.Read(ref completed)));
        var clients = states.Select(s => Task.Run(() => ClientAsync(s), CancellationToken.None)).ToArray();

        await Task.Delay(SteadyBeforeRestart, cancellationToken);
        var createdBefore = pool.GetStats().ConnectionsCreated;
        var recycledBefore = counts.Recycled;
        var restartStart = clock.ElapsedTicks;
        progress.Message($"Recovery: restarting the server ({restarter.Description}) under {settings.RecoveryClients} clients.");
        await restarter.RestartAsync(cancellationToken);
        Volatile.Write(ref restartEnd, clock.ElapsedTicks);

        double? allHealthyAt = null;
        var limit = Stopwatch.GetTimestamp() + (long)(RecoveryLimit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < limit && (allHealthyAt is null || Interlocked.Read(ref firstSuccessAfterRestart) == long.MaxValue))
        {
            if (allHealthyAt is null && await AllConnectionsHealthyAsync(pool, sampler, cancellationToken))
            {
                allHealthyAt = Seconds(clock.ElapsedTicks - restartEnd);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        await Task.Delay(SteadyAfterRecovery, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var wall = Seconds(clock.ElapsedTicks);

        var measurement = new RunMeasurement { DurationSeconds = wall };
        foreach (var state in states)
        {
            measurement.Successes += state.Successes;
            measurement.Latency.Add(state.Latency);
            measurement.Errors.Add(state.Errors);
        }

        measurement.EndConnections = sampler.Sample();
        measurement.PeakConnections = Math.Max(sampler.Peak, measurement.EndConnections);
        measurement.HealthChecks = counts.HealthChecks;
        measurement.HealthCheckFailures = counts.HealthCheckFailures;
        measurement.ConnectionsCreated = pool.GetStats().ConnectionsCreated;
        foreach (var (reason, count) in counts.Recycled)
        {
            measurement.Recycled[reason] = count;
        }

        var broken = Delta(counts.Recycled, recycledBefore, "faulted") + Delta(counts.Recycled, recycledBefore, "health_check_failed");
        var replacements = pool.GetStats().ConnectionsCreated - createdBefore;
        var first = Interlocked.Read(ref firstSuccessAfterRestart);
        double? timeToFirstSuccess = first == long.MaxValue ? null : Seconds(first - restartEnd);
        var figures = new RecoveryFigures(
            Seconds(restartEnd - restartStart),
            measurement.Failures,
            timeToFirstSuccess,
            allHealthyAt,
            broken,
            replacements,
            EveryBrokenConnectionReplaced: replacements >= broken,
            Recovered: timeToFirstSuccess is not null && allHealthyAt is not null && replacements >= broken);

        item.Complete(measurement);
        var variant = ReportBuilder.Variant(VariantKind.PoolShared.Name(), measurement, isPool: true) with { Recovery = figures };
        return new ScenarioResult(ScenarioKind.Recovery.Name(), (int)ScenarioKind.Recovery, settings.RecoveryClients, OperationKind.Get.Name(), [variant]);
    }

    /// <summary>Healthy when the pool says so and the OS shows exactly the connections the pool holds, at least one.</summary>
    private static async Task<bool> AllConnectionsHealthyAsync(QdrantConnectionPool pool, ConnectionSampler sampler, CancellationToken cancellationToken)
    {
        var health = await pool.CheckHealthAsync(cancellationToken);
        var stats = pool.GetStats();
        return health.Status == HealthStatus.Healthy && stats.TotalConnections > 0 && sampler.Sample() == stats.TotalConnections;
    }

    private static long Delta(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before, string reason) =>
        after.GetValueOrDefault(reason) - before.GetValueOrDefault(reason);

    private static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;

    private static void InterlockedMin(ref long target, long value)
    {
        long current;
        while (value < (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class ClientState(int seed)
    {
        public Random Random { get; } = new(seed);

        public DurationRecorder Latency { get; } = new();

        public ErrorTally Errors { get; } = new();

        public long Successes { get; set; }
    }
}
