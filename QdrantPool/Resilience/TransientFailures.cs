using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Polly.CircuitBreaker;

namespace QdrantPool.Resilience;

/// <summary>Which failures are worth another attempt (DESIGN decisions 6 and 11), and which say the connection is broken.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>failure</term><description>idempotent call / non-idempotent call</description></listheader>
/// <item><term>connection refused before the request was sent (no connection could be opened)</term><description>retried / retried</description></item>
/// <item><term>Unavailable, other connection and I/O errors (reset, broken pipe, HTTP/2 errors)</term><description>retried / not retried</description></item>
/// <item><term>DeadlineExceeded</term><description>retried / not retried</description></item>
/// <item><term>Unauthenticated, PermissionDenied, InvalidArgument, NotFound, AlreadyExists, Cancelled, any other status without a connection failure under it</term><description>not retried / not retried</description></item>
/// <item><term>an exhausted pool, a cancelled call, an open circuit</term><description>not retried / not retried</description></item>
/// </list>
/// </remarks>
internal static class TransientFailures
{
    /// <summary>Whether <paramref name="exception"/> is worth another attempt for a call of the given kind.</summary>
    public static bool IsTransient(Exception? exception, bool idempotent) =>
        idempotent ? IsTransientForIdempotent(exception) : NeverReachedServer(exception);

    /// <summary>
    /// Unavailable, connection failures and DeadlineExceeded. Unauthenticated, PermissionDenied, InvalidArgument,
    /// NotFound and AlreadyExists never are: repeating them gives the same answer.
    /// </summary>
    private static bool IsTransientForIdempotent(Exception? exception) => exception switch
    {
        null or QdrantPoolExhaustedException or BrokenCircuitException or OperationCanceledException => false,
        RpcException rpc => rpc.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => true,
            StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument
                or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Cancelled => false,
            _ => HasConnectionFailure(rpc.Status.DebugException ?? rpc.InnerException),
        },
        _ => HasConnectionFailure(exception),
    };

    /// <summary>
    /// True only when the failure proves the request never left this process: the TCP connection was refused or could
    /// not be opened. A reset, a broken pipe or an Unavailable answer may come after the server acted on the request.
    /// </summary>
    public static bool NeverReachedServer(Exception? exception)
    {
        if (exception is BrokenCircuitException or OperationCanceledException)
        {
            return false;
        }

        if (exception is RpcException rpc)
        {
            exception = rpc.Status.DebugException ?? rpc.InnerException;
        }

        for (var depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            // ConnectionError is what SocketsHttpHandler (and the pool's own connect) report when a connection could
            // not be established; errors on an established connection carry other codes.
            if (exception is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A failure that says the connection itself is broken, whatever the call was: Unavailable, or a socket, I/O or
    /// HTTP error under the call. Such a connection is taken out of rotation before a retry borrows again.
    /// </summary>
    public static bool IsConnectionFailure(Exception? exception) => exception switch
    {
        BrokenCircuitException or OperationCanceledException => false,
        RpcException { StatusCode: StatusCode.Unavailable } => true,

        // The caller's cancellation or deadline resets the HTTP/2 stream, and the reset can surface as an IOException
        // underneath: the connection itself is fine.
        RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded } => false,
        RpcException rpc => HasConnectionFailure(rpc.Status.DebugException ?? rpc.InnerException),
        _ => HasConnectionFailure(exception),
    };

    private static bool HasConnectionFailure(Exception? exception)
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
