using Microsoft.Extensions.Logging;

namespace QdrantPool.Telemetry;

/// <summary>The pool's log messages, source-generated so that a disabled level costs nothing.</summary>
internal static partial class PoolLog
{
    [LoggerMessage(1, LogLevel.Information, "Qdrant pool '{PoolName}' warmed up: {Connections} connection(s) open to {Endpoint}")]
    public static partial void Initialized(this ILogger logger, string poolName, int connections, Uri? endpoint);

    [LoggerMessage(2, LogLevel.Debug, "Qdrant pool '{PoolName}' opened connection {ConnectionId} in {Milliseconds:0.0} ms")]
    public static partial void ConnectionOpened(this ILogger logger, string poolName, int connectionId, double milliseconds);

    [LoggerMessage(3, LogLevel.Warning, "Qdrant pool '{PoolName}' could not open a connection to {Endpoint}")]
    public static partial void ConnectionOpenFailed(this ILogger logger, string poolName, Uri? endpoint, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Qdrant pool '{PoolName}' closed connection {ConnectionId}: {Reason}")]
    public static partial void ConnectionRetired(this ILogger logger, string poolName, int connectionId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Qdrant pool '{PoolName}': {Tier} health check of connection {ConnectionId} failed; replacing it")]
    public static partial void HealthCheckFailed(this ILogger logger, string poolName, string tier, int connectionId, Exception? exception);

    [LoggerMessage(6, LogLevel.Warning, "Qdrant pool '{PoolName}' timed out after {TimeoutSeconds} s waiting for a lease ({Connections} connection(s), {Leases} lease(s) out)")]
    public static partial void AcquireTimedOut(this ILogger logger, string poolName, double timeoutSeconds, int connections, int leases);

    [LoggerMessage(7, LogLevel.Warning, "Qdrant pool '{PoolName}': a lease on connection {ConnectionId} has been held for {HeldSeconds:0.0} s, longer than LeakDetectionThreshold ({ThresholdSeconds} s); possible leak. Acquired at:\n{AcquireStackTrace}")]
    public static partial void LeaseLeakSuspected(this ILogger logger, string poolName, int connectionId, double heldSeconds, double thresholdSeconds, string acquireStackTrace);

    [LoggerMessage(8, LogLevel.Information, "Qdrant pool '{PoolName}' cleared: generation {Generation}, every connection will be replaced")]
    public static partial void Cleared(this ILogger logger, string poolName, int generation);

    [LoggerMessage(9, LogLevel.Warning, "Qdrant pool '{PoolName}' disposed with {Leases} lease(s) still out after DisposeDrainTimeout ({TimeoutSeconds} s); closing their connections anyway")]
    public static partial void DrainTimedOut(this ILogger logger, string poolName, int leases, double timeoutSeconds);

    [LoggerMessage(10, LogLevel.Warning, "Qdrant pool '{PoolName}' housekeeping failed")]
    public static partial void HousekeepingFailed(this ILogger logger, string poolName, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Qdrant pool '{PoolName}': deep health check of connection {ConnectionId} was refused by Qdrant ({StatusCode}; HealthCheckCollection '{Collection}'); the connection works and is kept")]
    public static partial void DeepHealthCheckRejected(this ILogger logger, string poolName, int connectionId, Grpc.Core.StatusCode statusCode, string? collection, Exception exception);
}
