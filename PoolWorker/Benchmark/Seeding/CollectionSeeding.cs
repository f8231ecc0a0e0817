using Microsoft.Extensions.Logging;
using Qdrant.Client;

namespace PoolWorker.Benchmark.Seeding;

/// <summary>
/// One seeding of PoolWorker's collection at a time in this process. <see cref="CollectionSeeder"/> recreates a
/// collection that is not complete; run beside another seeding it would delete the collection under it (the
/// start-up seeding and a benchmark started in its first seconds: NotFound). A caller that waits here and then finds
/// the collection complete keeps it.
/// </summary>
internal sealed class CollectionSeeding : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SeedAsync(QdrantClient client, string collection, int points, int vectorSize, int seed, ILogger logger, CancellationToken cancellationToken)
    {
        if (!await _gate.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            logger.LogInformation("Waiting for the seeding of {Collection} under way to finish.", collection);
            await _gate.WaitAsync(cancellationToken);
        }

        try
        {
            await CollectionSeeder.SeedAsync(client, collection, points, vectorSize, seed, logger, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
