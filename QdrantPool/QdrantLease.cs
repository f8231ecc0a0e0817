using Qdrant.Client;
using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>
/// A borrowed connection. Use with <c>await using</c>; copies of a lease refer to the same borrow, and only the first
/// release counts.
/// </summary>
public readonly struct QdrantLease : IAsyncDisposable
{
    internal QdrantLease(QdrantConnectionPool pool, PooledConnection connection, int slot, long stamp)
    {
        Pool = pool;
        Connection = connection;
        Slot = slot;
        Stamp = stamp;
    }

    internal QdrantConnectionPool? Pool { get; }

    internal PooledConnection? Connection { get; }

    internal int Slot { get; }

    internal long Stamp { get; }

    /// <summary>The leased client. Do not keep it after the lease is released.</summary>
    public QdrantClient Client =>
        Connection?.Transport.Client ?? throw new InvalidOperationException("This QdrantLease is default: it was never acquired from a pool.");

    /// <summary>Returns the lease to its pool.</summary>
    public ValueTask DisposeAsync() => Pool is null ? ValueTask.CompletedTask : Pool.ReleaseAsync(this);
}
