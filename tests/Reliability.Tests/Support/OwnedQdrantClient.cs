using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace Reliability.Tests.Support;

/// <summary>
/// A plain QdrantClient whose channel this object owns and closes: disposing a <c>QdrantClient(Uri, key)</c> alone
/// leaves its TCP connection established (pool-anchors.md), which would skew the socket counts of later scenarios.
/// </summary>
internal sealed class OwnedQdrantClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public OwnedQdrantClient(Uri endpoint, string? apiKey)
    {
        _channel = GrpcChannel.ForAddress(endpoint);
        var invoker = apiKey is null ? _channel.CreateCallInvoker() : _channel.Intercept(metadata =>
        {
            metadata.Add("api-key", apiKey);
            return metadata;
        });
        Client = new QdrantClient(new QdrantGrpcClient(invoker));
    }

    public QdrantClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _channel.Dispose();
    }
}
