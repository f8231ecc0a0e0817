using Microsoft.Extensions.Logging;

namespace QdrantPool.Telemetry;

internal static partial class PoolLog
{
    [LoggerMessage(40, LogLevel.Warning, "Qdrant pool '{PoolName}': a call on connection {ConnectionId} failed with a connection error; the connection is taken out of rotation and replaced")]
    public static partial void CallBrokeConnection(this ILogger logger, string poolName, int connectionId, Exception exception);
}
