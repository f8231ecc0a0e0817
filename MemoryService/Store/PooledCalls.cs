using Qdrant.Client;
using QdrantPool;

namespace MemoryService.Store;

/// <summary>Every call on a leased connection, with the pool's retry and circuit breaker.</summary>
internal sealed class PooledCalls(IQdrantConnectionPool pool) : IQdrantCalls
{
    public Task<T> RunAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> call, bool idempotent, CancellationToken cancellationToken) =>
        pool.ExecuteAsync(call, retryOnDeadlineExceeded: idempotent, cancellationToken);
}
