using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantPool.Benchmarks;

/// <summary>
/// Answers every unary call at once with a cached reply, so a benchmark times the client side only: the QdrantClient
/// wrapper, the pool and the pooled invoker, with no network and no server.
/// </summary>
internal sealed class InMemoryCallInvoker : CallInvoker
{
    private static readonly Task<Metadata> NoHeaders = Task.FromResult(new Metadata());

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        new(Reply<TResponse>.Completed, NoHeaders, static () => Status.DefaultSuccess, static () => [], static () => { });

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        Reply<TResponse>.Completed.Result;

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private static class Reply<TResponse>
    {
        public static readonly Task<TResponse> Completed = Task.FromResult((TResponse)(typeof(TResponse) == typeof(CollectionExistsResponse)
            ? new CollectionExistsResponse { Result = new CollectionExists { Exists = true } }
            : Activator.CreateInstance(typeof(TResponse))!));
    }
}
