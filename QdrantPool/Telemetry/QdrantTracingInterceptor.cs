using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace QdrantPool.Telemetry;

/// <summary>
/// Traces every call on a pooled channel (<see cref="QdrantCallTracing"/>). On the channel rather than in the pooled
/// <c>CallInvoker</c> so that one piece of code covers every way in: a lease's client, <c>ExecuteAsync</c> and the
/// pooled <c>QdrantClient</c> all end on a pooled channel, and each attempt of a retried call is its own span.
/// Unary calls only: Qdrant's API, as Qdrant.Client calls it, has no streaming method.
/// </summary>
internal sealed class QdrantTracingInterceptor(Uri endpoint) : Interceptor
{
    private readonly string _address = endpoint.Host;
    private readonly int _port = endpoint.Port;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var previous = Activity.Current;
        var activity = QdrantCallTracing.StartCall(context.Method.FullName, request, _address, _port);
        if (activity is null)
        {
            return continuation(request, context);
        }

        try
        {
            // Started with the span current, so the HTTP/2 request underneath (and its HttpClient span) is its child.
            var call = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(
                ObserveAsync(call.ResponseAsync, activity),
                call.ResponseHeadersAsync,
                call.GetStatus,
                call.GetTrailers,
                call.Dispose);
        }
        catch (Exception ex)
        {
            QdrantCallTracing.SetFailure(activity, ex);
            activity.Dispose();
            throw;
        }
        finally
        {
            // This method returns before the call ends: the span must not stay current in the caller's flow.
            Activity.Current = previous;
        }
    }

    private static async Task<TResponse> ObserveAsync<TResponse>(Task<TResponse> response, Activity activity)
    {
        try
        {
            return await response.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            QdrantCallTracing.SetFailure(activity, ex);
            throw;
        }
        finally
        {
            activity.Dispose();
        }
    }
}
