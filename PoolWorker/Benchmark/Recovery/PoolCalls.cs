using Qdrant.Client;
using QdrantPool;

namespace PoolWorker.Benchmark.Recovery;

/// <summary>The pool's <c>ExecuteAsync</c> (acquire, retry, circuit breaker, release) for a read, which is safe to repeat.</summary>
internal static class PoolCalls
{
    public static Task ReadAsync(IQdrantConnectionPool pool, Func<QdrantClient, CancellationToken, Task> read, CancellationToken cancellationToken) =>
        pool.ExecuteAsync(read, idempotent: true, cancellationToken);
}
