using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace PoolWorker.Benchmark.Operations;

/// <summary>
/// One benchmark operation on the seeded collection. <see cref="OperationKind.Get"/> (1–10 random ids) is cheap for
/// the server, so it measures the client and the pool; <see cref="OperationKind.Search"/> (top-10 nearest) is the
/// realistic read, reported separately.
/// </summary>
internal sealed class QdrantOperation(OperationKind kind, string collection, int points, int vectorSize)
{
    public OperationKind Kind { get; } = kind;

    public async Task ExecuteAsync(QdrantClient client, Random random, CancellationToken cancellationToken)
    {
        if (Kind == OperationKind.Get)
        {
            var count = random.Next(1, 11);
            var ids = new HashSet<ulong>();
            while (ids.Count < count)
            {
                ids.Add((ulong)random.Next(1, points + 1));
            }

            var found = await client.RetrieveAsync(
                collection, ids.Select(id => new PointId { Num = id }).ToList(), withPayload: true, withVectors: false, cancellationToken: cancellationToken);
            if (found.Count != ids.Count)
            {
                // A wrong answer is a failure, not a fast success.
                throw new BenchmarkCheckException($"Get of {ids.Count} seeded ids returned {found.Count} points.");
            }
        }
        else
        {
            var hits = await client.QueryAsync(collection, query: SeedVectors.Random(random, vectorSize), limit: 10, cancellationToken: cancellationToken);
            if (hits.Count != Math.Min(10, points))
            {
                throw new BenchmarkCheckException($"A top-10 query returned {hits.Count} points.");
            }
        }
    }
}

/// <summary>An answer that came back but was wrong.</summary>
internal sealed class BenchmarkCheckException(string message) : Exception(message);
