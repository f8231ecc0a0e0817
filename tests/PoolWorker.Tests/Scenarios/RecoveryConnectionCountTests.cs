using Microsoft.Extensions.Logging.Abstractions;
using PoolWorker.Benchmark;
using PoolWorker.Benchmark.Recovery;
using PoolWorker.Benchmark.Running;
using PoolWorker.Benchmark.Seeding;
using PoolWorker.Tests.Support;
using Qdrant.Client;
using QdrantPool;

namespace PoolWorker.Tests.Scenarios;

/// <summary>
/// The recovery scenario beside another pool of the same process that reconnects after the same restart, as
/// PoolWorker's own DI pool does under the web host: the scenario counts its own pool's connections only.
/// </summary>
public sealed class RecoveryConnectionCountTests : IAsyncLifetime
{
    private const int MaxSize = 2;
    private const int OtherPoolSize = 3;
    private readonly BenchmarkEmulator _emulator = new();

    public Task InitializeAsync() => _emulator.InitializeAsync();

    public Task DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task Recovery_WhileAnotherPoolOfTheProcessReconnects_CountsOnlyItsOwnPoolsConnections()
    {
        var settings = new BenchmarkSettings
        {
            Endpoint = _emulator.Endpoint,
            ApiKey = BenchmarkEmulator.ApiKey,
            OutputFolder = ".",
            Collection = "recovery-count",
            RecoveryClients = 3,
            PoolMaxSize = MaxSize,
            SeedPoints = 200,
            VectorSize = 8,
        };
        using (var seeder = new QdrantClient(_emulator.Endpoint, apiKey: BenchmarkEmulator.ApiKey))
        {
            await CollectionSeeder.SeedAsync(seeder, settings.Collection, settings.SeedPoints, settings.VectorSize, 1, NullLogger.Instance, CancellationToken.None);
        }

        // Stands in for PoolWorker's DI pool: its own connections to the same server, busy before and after the restart.
        await using var other = new QdrantConnectionPool(new QdrantConnectionPoolOptions
        {
            Name = "stand-in-for-the-di-pool",
            Endpoint = _emulator.Endpoint,
            ApiKey = BenchmarkEmulator.ApiKey,
            MaxSize = OtherPoolSize,
            MinSize = OtherPoolSize,
            MaxLeasesPerConnection = 1,
        });
        await other.InitializeAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var otherSuccesses = 0L;
        var otherLoad = Enumerable.Range(0, OtherPoolSize).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await other.ExecuteAsync((client, token) => client.HealthAsync(token), idempotent: true, stop.Token);
                    Interlocked.Increment(ref otherSuccesses);
                }
                catch (Exception)
                {
                    // Broken by the restart (the pool replaces the connection), or stopped.
                }
            }
        })).ToArray();

        using var watcher = new PoolMeterWatcher();
        var restarter = new RestartThenWaitForOtherPool(_emulator, other);
        var result = await new RecoveryScenario(settings, watcher, new RecordingProgress(), NullLoggerFactory.Instance).RunAsync(restarter, stop.Token);
        await stop.CancelAsync();
        await Task.WhenAll(otherLoad);

        Assert.True(restarter.OtherPoolReconnected, "the other pool did not reconnect after the restart: the test proves nothing");
        var variant = result.Variants.Single();
        Assert.InRange(variant.Connections.Peak, 1, MaxSize);
        Assert.NotNull(variant.Recovery!.TimeToAllHealthySeconds);
        Assert.True(variant.Recovery.Recovered, System.Text.Json.JsonSerializer.Serialize(variant.Recovery));
    }

    /// <summary>Restarts the emulator, then returns once the other pool has opened new connections and works again.</summary>
    private sealed class RestartThenWaitForOtherPool(BenchmarkEmulator emulator, QdrantConnectionPool other) : IServerRestarter
    {
        public string Description => "in-process emulator restarted, then the other pool reconnected";

        public bool OtherPoolReconnected { get; private set; }

        public async Task RestartAsync(CancellationToken cancellationToken)
        {
            var createdBefore = other.GetStats().ConnectionsCreated;
            await emulator.RestartAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline && other.GetStats().ConnectionsCreated < createdBefore + OtherPoolSize)
            {
                try
                {
                    await other.ExecuteAsync((client, token) => client.HealthAsync(token), idempotent: true, cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Still reconnecting.
                }
            }

            OtherPoolReconnected = other.GetStats().ConnectionsCreated >= createdBefore + OtherPoolSize;
        }
    }
}
