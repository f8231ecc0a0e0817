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
        return new AsyncUnaryCall<TResponse>(call.ResponseAsync, call.ResponseHeadersAsync(), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var stream = new PooledServerStream<TRequest, TResponse>(Pool, method, host, options, request);
        return new AsyncServerStreamingCall<TResponse>(stream, stream.ResponseHeadersAsync(), stream.GetStatus, stream.GetTrailers, stream.Dispose);
    }

    // Qdrant's API (as Qdrant.Client 1.20 calls it) has no client-streaming or duplex method; a test pins that, so
    // these are never reached by a QdrantClient.
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"The pooled Qdrant client does not support client-streaming calls ({method.FullName}).");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"The pooled Qdrant client does not support duplex-streaming calls ({method.FullName}).");
}
