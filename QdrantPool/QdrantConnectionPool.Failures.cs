using QdrantPool.Connections;
using QdrantPool.Resilience;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    /// <summary>
    /// Told by every call through the pool (ExecuteAsync, the pooled QdrantClient) that failed, while its lease is still
    /// held. A connection-level failure (Unavailable, a socket, I/O or HTTP error) takes the connection out of rotation
    /// at once: it lends no new lease, so a retry borrows another; it closes when its last lease comes back, and a
    /// faulted connection is replaced then (defect 2 of issue 8: before, the scan lent the same broken slot again).
    /// </summary>
    /// <remarks>
    /// Server answers that say nothing about the connection (NotFound, InvalidArgument, DeadlineExceeded...) keep it in
    /// service. Call it before releasing the lease: the release is what closes an idle retired connection.
    /// </remarks>
    internal void OnCallFailed(QdrantLease lease, Exception exception)
    {
        if (lease.Connection is not { } connection || !ReferenceEquals(lease.Pool, this) || !TransientFailures.IsConnectionFailure(exception))
        {
            return;
        }

        if (connection.Doom(RetireReasons.Faulted))
        {
            _logger.CallBrokeConnection(Name, connection.Id, exception);
        }

        // Closes it now if the lease was already returned; otherwise the release does.
        RetireIfIdle(connection);
    }
}
