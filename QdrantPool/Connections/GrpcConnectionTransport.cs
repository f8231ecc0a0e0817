using Grpc.Core;
using Grpc.Net.Client;
using Qdrant.Client;

namespace QdrantPool.Connections;

/// <summary>A client, its channel and its handler, retired together.</summary>
internal sealed class GrpcConnectionTransport(SocketsHttpHandler handler, GrpcChannel channel, CallInvoker callInvoker, QdrantClient client) : IConnectionTransport
{
    public QdrantClient Client { get; } = client;

    public CallInvoker CallInvoker { get; } = callInvoker;

    public bool IsFaulted => channel.State is ConnectivityState.TransientFailure or ConnectivityState.Shutdown;

    public void Dispose()
    {
        // All three: disposing only the client leaves the TCP connection established (pool-anchors.md, "Seen here").
        Client.Dispose();
        channel.Dispose();
        handler.Dispose();
    }
}
