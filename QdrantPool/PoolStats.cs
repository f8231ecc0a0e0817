namespace QdrantPool;

/// <summary>A point-in-time snapshot of a pool's state and counters.</summary>
/// <param name="PoolName">The pool's name.</param>
/// <param name="MaxSize">The configured maximum number of connections.</param>
/// <param name="TotalConnections">Open connections plus connections being opened.</param>
/// <param name="IdleConnections">Open connections carrying no lease.</param>
/// <param name="ActiveConnections">Open connections carrying at least one lease.</param>
/// <param name="ActiveLeases">Leases currently out.</param>
/// <param name="PendingWaiters">Callers waiting for a lease.</param>
/// <param name="TotalAcquires">Leases handed out since the pool was built.</param>
/// <param name="TotalReleases">Leases returned since the pool was built.</param>
/// <param name="TotalTimeouts">Acquires that gave up after AcquireTimeout.</param>
/// <param name="HealthCheckFailures">Failed medium, deep and fast health checks.</param>
/// <param name="ConnectionsCreated">Connections opened.</param>
/// <param name="ConnectionsRecycled">Connections closed by the pool (age, idleness, failed checks, clear).</param>
/// <param name="FailedCreations">Attempts to open a connection that failed.</param>
/// <param name="AverageAcquireTime">Mean time callers spent in AcquireAsync, since the pool was built.</param>
/// <param name="P95AcquireTime">95th percentile of the time spent in AcquireAsync over the most recent 1,024 acquires, so it follows the current load (the average and the maximum cover the pool's whole life).</param>
/// <param name="MaxAcquireTime">Longest time spent in AcquireAsync, since the pool was built.</param>
public sealed record PoolStats(
    string PoolName,
    int MaxSize,
    int TotalConnections,
    int IdleConnections,
    int ActiveConnections,
    int ActiveLeases,
    int PendingWaiters,
    long TotalAcquires,
    long TotalReleases,
    long TotalTimeouts,
    long HealthCheckFailures,
    long ConnectionsCreated,
    long ConnectionsRecycled,
    long FailedCreations,
    TimeSpan AverageAcquireTime,
    TimeSpan P95AcquireTime,
    TimeSpan MaxAcquireTime);
