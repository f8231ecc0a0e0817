using Qdrant.Client;
using Reliability.Tests.Support;

namespace Reliability.Tests.Proxy;

/// <summary>The proxy between the official client and Qdrant: gRPC works through it, and its call count is exact.</summary>
public sealed class FaultProxyGrpcTests
{
    [Fact]
    public async Task RequestsToServer_CountsEveryGrpcCallThatReachedQdrant()
    {
        await using var qdrant = await QdrantUnderTest.StartAsync();
        await using var proxy = FaultProxy.Start(qdrant.Endpoint);
        using var owned = new OwnedQdrantClient(proxy.Endpoint, qdrant.ApiKey);
        var client = owned.Client;

        for (var i = 0; i < 5; i++)
        {
            await client.ListCollectionsAsync();
        }

        Assert.Equal(5, proxy.RequestsToServer);
        Assert.Equal(1, proxy.UpstreamConnectionsOpened);
    }
}
