using System.Net.Sockets;
using Grpc.Core;

namespace QdrantPool.Resilience;

/// <summary>Which failures are worth another attempt (DESIGN decision 6).</summary>
internal static class TransientFailures
{
    /// <summary>
    /// Unavailable and connection failures are transient; DeadlineExceeded only when the caller marked the operation
    /// safe to repeat. Unauthenticated, PermissionDenied, InvalidArgument, NotFound and AlreadyExists never are:
    /// repeating them gives the same answer.
    /// </summary>
    public static bool IsTransient(Exception? exception, bool retryOnDeadlineExceeded) => exception switch
    {
        null => false,
        QdrantPoolExhaustedException => false,
        RpcException rpc => IsTransient(rpc, retryOnDeadlineExceeded),
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    private static bool IsTransient(RpcException rpc, bool retryOnDeadlineExceeded) => rpc.StatusCode switch
    {
        StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument
            or StatusCode.NotFound or StatusCode.AlreadyExists => false,
        StatusCode.Unavailable => true,
        StatusCode.DeadlineExceeded => retryOnDeadlineExceeded,
        _ => IsConnectionFailure(rpc.Status.DebugException ?? rpc.InnerException),
    };

    private static bool IsConnectionFailure(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            if (exception is HttpRequestException or IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
