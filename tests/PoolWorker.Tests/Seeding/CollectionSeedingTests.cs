using Microsoft.Extensions.Logging.Abstractions;
using PoolWorker.Benchmark.Seeding;
using PoolWorker.Tests.Support;
using Qdrant.Client;

namespace PoolWorker.Tests.Seeding;

/// <summary>The start-up seeding and a benchmark's seeding, started together, against the in-process emulator.</summary>
public sealed class CollectionSeedingTests : IAsyncLifetime
{
    private const int Points = 20_000;
    private const int VectorSize = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly BenchmarkEmulator _emulator = new();

    public Task InitializeAsync() => _emulator.InitializeAsync();

    public Task DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task SecondSeeding_StartedWhileTheFirstIsUnderWay_WaitsAndKeepsTheCompletedCollection()
    {
        const string collection = "seeding-race";
        using var seeding = new CollectionSeeding();
        using var first = new QdrantClient(_emulator.Endpoint, apiKey: BenchmarkEmulator.ApiKey);
        using var second = new QdrantClient(_emulator.Endpoint, apiKey: BenchmarkEmulator.ApiKey);
        using var observer = new QdrantClient(_emulator.Endpoint, apiKey: BenchmarkEmulator.ApiKey);

        var startUp = seeding.SeedAsync(first, collection, Points, VectorSize, seed: 1, NullLogger.Instance, CancellationToken.None);

        // Start the second once the first has created the collection and not yet filled it: the moment a benchmark
        // started during PoolWorker's start-up seeding used to delete the collection under it.
        var deadline = DateTime.UtcNow + Patience;
        while (!startUp.IsCompleted && !await observer.CollectionExistsAsync(collection))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first seeding never created the collection");
        }

        var benchmark = seeding.SeedAsync(second, collection, Points, VectorSize, seed: 1, NullLogger.Instance, CancellationToken.None);

        await Task.WhenAll(startUp, benchmark).WaitAsync(Patience);
        var info = await observer.GetCollectionInfoAsync(collection);
        Assert.Equal((ulong)Points, info.PointsCount);
    }
}
