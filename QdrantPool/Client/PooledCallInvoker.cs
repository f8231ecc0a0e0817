using Grpc.Core;
using QdrantPool.Resilience;

namespace QdrantPool.Client;

/// <summary>
/// A <see cref="CallInvoker"/> over the pool: each call borrows a lease for its duration and sends through that
/// connection's own invoker (so through its API key and its tracing). Unary calls go through the pool's pipeline
/// exactly as <c>ExecuteAsync</c> does (retry by <see cref="QdrantMethods"/>' table, the same circuit breaker, failover
/// off a broken connection); a server stream holds its lease until the stream ends or is disposed, and is not retried.
/// </summary>
/// <remarks>
/// Put under a <c>QdrantClient</c> (<see cref="QdrantPooledClientFactory"/>), it gives code written for one shared
/// client bounded sockets, the health tiers, the metrics and failover without a change at the call sites.
/// </remarks>
internal sealed class PooledCallInvoker(QdrantConnectionPool pool) : CallInvoker
{
    public QdrantConnectionPool Pool { get; } = pool;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new PooledUnaryCall<TRequest, TResponse>(Pool, method, host, options, request);

        // The state overload: static delegates and headers fetched only if asked for, so a call allocates no closures.
        return new AsyncUnaryCall<TResponse>(
            call.ResponseAsync,
            static state => ((PooledUnaryCall<TRequest, TResponse>)state).ResponseHeadersAsync(),
            static state => ((PooledUnaryCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((PooledUnaryCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((PooledUnaryCall<TRequest, TResponse>)state).Dispose(),
            call);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var stream = new PooledServerStream<TRequest, TResponse>(Pool, method, host, options, request);
        return new AsyncServerStreamingCall<TResponse>(
            stream,
            static state => ((PooledServerStream<TRequest, TResponse>)state).ResponseHeadersAsync(),
            static state => ((PooledServerStream<TRequest, TResponse>)state).GetStatus(),
            static state => ((PooledServerStream<TRequest, TResponse>)state).GetTrailers(),
            static state => ((PooledServerStream<TRequest, TResponse>)state).Dispose(),
            stream);
    }

    // Qdrant's API (as Qdrant.Client 1.20 calls it) has no client-streaming or duplex method; a test pins that, so
    // these are never reached by a QdrantClient.
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"The pooled Qdrant client does not support client-streaming calls ({method.FullName}).");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"The pooled Qdrant client does not support duplex-streaming calls ({method.FullName}).");
}
