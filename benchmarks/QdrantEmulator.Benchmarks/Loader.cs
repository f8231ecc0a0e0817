using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Benchmarks;

internal static class Loader
{
    /// <summary>Upserts points [from, to) in batches and returns <paramref name="to"/>.</summary>
    public static async Task<int> LoadAsync(
        QdrantClient client, string collection, VectorSource vectors, int from, int to, int batchSize, CancellationToken cancellationToken)
    {
        for (var start = from; start < to; start += batchSize)
        {
            var end = Math.Min(start + batchSize, to);
            var batch = new List<PointStruct>(end - start);
            for (var id = start; id < end; id++)
            {
                var point = new PointStruct { Id = (ulong)id, Vectors = vectors.ForPoint(id) };
                point.Payload.Add("i", id);
                batch.Add(point);
            }

            await client.UpsertAsync(collection, batch, cancellationToken: cancellationToken);
        }

        return to;
    }
}
