using Microsoft.Extensions.Logging;
using PoolWorker.Benchmark.Operations;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace PoolWorker.Benchmark.Seeding;

/// <summary>
/// Creates PoolWorker's own collection (never MemoryService's) with ids 1..N and deterministic vectors. An existing
/// collection that already holds N points is kept, so a second run does not rewrite it.
/// </summary>
internal static class CollectionSeeder
{
    private const int BatchSize = 1_000;

    public static async Task SeedAsync(QdrantClient client, string collection, int points, int vectorSize, int seed, ILogger logger, CancellationToken cancellationToken)
    {
        if (await client.CollectionExistsAsync(collection, cancellationToken))
        {
            var info = await client.GetCollectionInfoAsync(collection, cancellationToken);
            var size = info.Config?.Params?.VectorsConfig?.Params?.Size;
            if (info.PointsCount == (ulong)points && size == (ulong)vectorSize)
            {
                logger.LogInformation("Collection {Collection} already holds {Points} points of dimension {Size}; kept.", collection, points, vectorSize);
                return;
            }

            logger.LogInformation("Collection {Collection} holds {Count} points of dimension {Size}; recreating it with {Points} of {VectorSize}.", collection, info.PointsCount, size, points, vectorSize);
            await client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken);
        }

        try
        {
            await client.CreateCollectionAsync(collection, new VectorParams { Size = (ulong)vectorSize, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.AlreadyExists)
        {
            // Another PoolWorker created it first; the upserts below are idempotent (fixed ids).
        }

        var random = new Random(seed);
        for (var start = 1; start <= points; start += BatchSize)
        {
            var batch = new List<PointStruct>(BatchSize);
            for (var id = start; id < start + BatchSize && id <= points; id++)
            {
                batch.Add(new PointStruct
                {
                    Id = (ulong)id,
                    Vectors = SeedVectors.Random(random, vectorSize),
                    Payload = { ["n"] = id, ["group"] = "g" + (id % 10) },
                });
            }

            await client.UpsertAsync(collection, batch, wait: true, cancellationToken: cancellationToken);
        }

        logger.LogInformation("Seeded {Points} points of dimension {Size} into {Collection}.", points, vectorSize, collection);
    }
}
