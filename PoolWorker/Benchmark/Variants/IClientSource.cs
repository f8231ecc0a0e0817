using Qdrant.Client;
using QdrantPool;

namespace PoolWorker.Benchmark.Variants;

/// <summary>Where a variant's operations get their <see cref="QdrantClient"/>: a pool lease, one singleton, or a new client each time.</summary>
internal interface IClientSource : IAsyncDisposable
{
    VariantKind Kind { get; }

    /// <summary>The variant's pool, or null for the baselines.</summary>
    QdrantConnectionPool? Pool { get; }

    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Runs the operation on a client and returns how long getting the client took, in <see cref="System.Diagnostics.Stopwatch"/> ticks (0 without a pool).</summary>
    ValueTask<long> RunAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken);
}
