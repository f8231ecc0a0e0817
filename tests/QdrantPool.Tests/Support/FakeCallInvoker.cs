using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantPool.Tests.Support;

/// <summary>
/// Answers Qdrant unary calls in memory so a real <see cref="Qdrant.Client.QdrantClient"/> runs without a server.
/// <see cref="Handler"/> may throw (an RpcException with any status) or wait, to script the server's behaviour.
/// </summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    private int _calls;

    /// <summary>Runs before each call with the gRPC method's full name, e.g. <c>/qdrant.Collections/List</c>.</summary>
    public Func<string, CancellationToken, Task>? Handler { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The request of the latest unary call, for tests that check what the pool asked.</summary>
    public object? LastRequest { get; private set; }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Interlocked.Increment(ref _calls);
        LastRequest = request;
        return new AsyncUnaryCall<TResponse>(
            RespondAsync<TResponse>(method.FullName, options.CancellationToken),
            Task.FromResult(new Metadata()),
            static () => Status.DefaultSuccess,
            static () => [],
            static () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    /// <summary>Server streams: the test hands in the reader (none of Qdrant's methods stream; tests use a method of their own).</summary>
    public Func<string, object>? StreamFactory { get; set; }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Interlocked.Increment(ref _calls);
        var reader = (IAsyncStreamReader<TResponse>)(StreamFactory ?? throw new NotSupportedException())(method.FullName);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), static () => Status.DefaultSuccess, static () => [], static () => { });
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private async Task<TResponse> RespondAsync<TResponse>(string method, CancellationToken cancellationToken)
    {
        if (Handler is { } handler)
        {
            await handler(method, cancellationToken).ConfigureAwait(false);
        }

        object response = typeof(TResponse) switch
        {
            var t when t == typeof(CountResponse) => new CountResponse { Result = new CountResult { Count = 3 } },
            var t when t == typeof(GetCollectionInfoResponse) => new GetCollectionInfoResponse { Result = new CollectionInfo() },
            var t when t == typeof(CollectionExistsResponse) => new CollectionExistsResponse { Result = new CollectionExists { Exists = true } },
            _ => Activator.CreateInstance<TResponse>()!,
        };
        return (TResponse)response;
    }
}
