using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace QdrantPool.LoadHarness;

/// <summary>Creates the collection the callers read: small vectors (a Get does not return them) and a short payload.</summary>
internal static class Seeder
{
    public const string Collection = "load_harness";
    private const int Dimensions = 16;
    private const int Batch = 1_000;

    public static async Task SeedAsync(QdrantClient client, int points, int seed, CancellationToken cancellationToken)
    {
        await client.CreateCollectionAsync(Collection, new VectorParams { Size = Dimensions, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
        var random = new Random(seed);
        for (var first = 0; first < points; first += Batch)
        {
            var batch = new List<PointStruct>(Batch);
            for (var id = first; id < Math.Min(points, first + Batch); id++)
            {
                var vector = new float[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] = (float)random.NextDouble();
                }

                batch.Add(new PointStruct
                {
                    Id = (ulong)id,
                    Vectors = vector,
                    Payload = { ["text"] = $"memory number {id}", ["n"] = id },
                });
            }

            await client.UpsertAsync(Collection, batch, wait: true, cancellationToken: cancellationToken);
        }

        var count = await client.CountAsync(Collection, exact: true, cancellationToken: cancellationToken);
        if (count != (ulong)points)
        {
            throw new InvalidOperationException($"Seeded {points} points but the server counts {count}.");
        }
    }
}
