using Qdrant.Client;

namespace MemoryService.Store;

/// <summary>
/// Where the store's <see cref="QdrantClient"/> comes from: the pool (<c>Memory:UsePool=true</c>) or one shared
/// client. The store's operations are written once against a <see cref="QdrantClient"/>; only this differs.
/// </summary>
internal interface IQdrantCalls
{
    /// <param name="idempotent">
    /// True when repeating the call cannot change the outcome (reads; writes addressed by ids chosen before the first
    /// attempt), so it may be retried even after it may have reached Qdrant (e.g. after a deadline).
    /// </param>
    Task<T> RunAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> call, bool idempotent, CancellationToken cancellationToken);
}

/// <summary>Every call on one singleton client, which carries the deadline itself (its <c>grpcTimeout</c>).</summary>
internal sealed class SharedClientCalls(QdrantClient client) : IQdrantCalls
{
    // No retry here: this is the baseline the pool is compared with, as Aspire's own integration behaves.
    public Task<T> RunAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> call, bool idempotent, CancellationToken cancellationToken) =>
        call(client, cancellationToken);
}
