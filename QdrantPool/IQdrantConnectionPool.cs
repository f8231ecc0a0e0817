using Microsoft.Extensions.Diagnostics.HealthChecks;
using Qdrant.Client;

namespace QdrantPool;

/// <summary>A pool of Qdrant gRPC connections, each lent out as <see cref="QdrantLease"/>s.</summary>
public interface IQdrantConnectionPool : IAsyncDisposable
{
    /// <summary>The pool's name (<see cref="QdrantConnectionPoolOptions.Name"/>).</summary>
    string Name { get; }

    /// <summary>Opens connections up to <see cref="QdrantConnectionPoolOptions.MinSize"/>.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Borrows a connection. Waits in FIFO order up to <see cref="QdrantConnectionPoolOptions.AcquireTimeout"/> when
    /// the pool is exhausted, then throws <see cref="QdrantPoolExhaustedException"/>. Dispose the lease to return it.
    /// </summary>
    ValueTask<QdrantLease> AcquireAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns a lease. Returning the same lease twice is harmless: the second call does nothing.</summary>
    ValueTask ReleaseAsync(QdrantLease lease);

    /// <summary>Runs <paramref name="operation"/> on a leased client with retry and circuit breaking; DeadlineExceeded is not retried.</summary>
    Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="operation"/> on a leased client with retry and circuit breaking.
    /// <paramref name="retryOnDeadlineExceeded"/> marks the operation safe to repeat after a deadline (reads, writes with explicit ids).
    /// </summary>
    Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="operation"/> on a leased client with retry and circuit breaking; DeadlineExceeded is not retried.</summary>
    Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ExecuteAsync(Func{QdrantClient, CancellationToken, Task}, CancellationToken)"/>, optionally retrying DeadlineExceeded.</summary>
    Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the pool's counters.</summary>
    PoolStats GetStats();

    /// <summary>Drops every connection: idle ones now, leased ones when they come back. New connections are opened on demand.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Healthy; Degraded when the pool is exhausted or connections are failing; Unhealthy when no connection can be made
    /// or the API key is rejected. <see cref="PoolStats"/> figures are in <see cref="HealthCheckResult.Data"/>.
    /// </summary>
    Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken);
}
