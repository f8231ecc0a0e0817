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

    /// <summary>
    /// Runs <paramref name="operation"/> on a leased client, through the pool's retry and circuit breaker. Each attempt
    /// borrows its own lease; a connection that fails with a connection error is taken out of rotation first, so a
    /// retry lands on another connection.
    /// </summary>
    /// <param name="operation">The Qdrant call(s); it may run more than once when <paramref name="idempotent"/> is true.</param>
    /// <param name="idempotent">
    /// True when repeating the operation after a lost reply cannot change its outcome: reads, and writes addressed by
    /// ids the caller chose before the first attempt (upserts, deletes, payload edits). Such calls retry Unavailable,
    /// connection errors and DeadlineExceeded. False for creating or deleting collections, snapshots and alias changes:
    /// those retry only when the connection was refused before the request was sent.
    /// </param>
    /// <param name="cancellationToken">Cancels the acquire, the call and the backoff delays.</param>
    /// <exception cref="QdrantPoolCircuitOpenException">The circuit is open: the call failed fast without reaching Qdrant.</exception>
    Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool idempotent, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ExecuteAsync{T}(Func{QdrantClient, CancellationToken, Task{T}}, bool, CancellationToken)"/>, for an operation with no result.</summary>
    /// <param name="operation">The Qdrant call(s); it may run more than once when <paramref name="idempotent"/> is true.</param>
    /// <param name="idempotent">True when repeating the operation after a lost reply cannot change its outcome.</param>
    /// <param name="cancellationToken">Cancels the acquire, the call and the backoff delays.</param>
    Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool idempotent, CancellationToken cancellationToken = default);

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
