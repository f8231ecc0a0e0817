using Google.Protobuf;
using Grpc.Core;

namespace QdrantEmulator.Grpc;

/// <summary>A handler for one unary method, over the real request and response types.</summary>
internal delegate Task<TResponse> RpcHandler<in TRequest, TResponse>(TRequest request, ServerCallContext context)
    where TRequest : class, IMessage
    where TResponse : class, IMessage;

/// <summary>
/// The table from gRPC path (<c>/qdrant.Points/Upsert</c>) to handler. Methods with no entry answer UNIMPLEMENTED.
/// </summary>
internal sealed class RpcHandlers
{
    private readonly Dictionary<string, Delegate> handlers = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => handlers.Keys;

    public RpcHandlers Add<TRequest, TResponse>(string path, RpcHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage
        where TResponse : class, IMessage
    {
        handlers.Add(path, handler);
        return this;
    }

    public RpcHandler<TRequest, TResponse>? Find<TRequest, TResponse>(string path)
        where TRequest : class, IMessage
        where TResponse : class, IMessage
    {
        if (!handlers.TryGetValue(path, out var handler))
        {
            return null;
        }

        return handler as RpcHandler<TRequest, TResponse>
            ?? throw new InvalidOperationException($"The handler for {path} is registered with the wrong message types.");
    }
}
