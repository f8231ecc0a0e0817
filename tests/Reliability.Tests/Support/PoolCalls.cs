using Qdrant.Client;
using QdrantPool;

namespace Reliability.Tests.Support;

/// <summary>
/// The two kinds of call the scenarios make, with their idempotency said once (DESIGN decision 11): reads and writes
/// addressed by ids chosen before the first attempt are safe to repeat, so a deadline may be retried too.
/// </summary>
internal static class PoolCalls
{
    public static Task<T> ReadAsync<T>(this IQdrantConnectionPool pool, Func<QdrantClient, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default) =>
        pool.ExecuteAsync(read, idempotent: true, cancellationToken);

    public static Task WriteByIdAsync(this IQdrantConnectionPool pool, Func<QdrantClient, CancellationToken, Task> write, CancellationToken cancellationToken = default) =>
        pool.ExecuteAsync(write, idempotent: true, cancellationToken);
}
