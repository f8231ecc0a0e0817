using System.Net;
using MemoryService.Memories;
using MemoryService.Tests.Support;
using Qdrant.Client;

namespace MemoryService.Tests.Store;

/// <summary>A collection deleted under a running service: the next call answers 503, then the collection is re-created.</summary>
public sealed class CollectionRecreationTests(CollectionRecreationTests.Fixture fixture) : IClassFixture<CollectionRecreationTests.Fixture>
{
    [Fact]
    public async Task A_deleted_collection_answers_503_once_then_is_re_created_and_serves()
    {
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/memories", new { content = "before", category = "fact" })).StatusCode);
        using (var qdrant = new QdrantClient(fixture.QdrantEndpoint, MemoryServiceFixture.QdrantKey))
        {
            await qdrant.DeleteCollectionAsync(fixture.Collection);
        }

        var refused = await client.GetAsync("/memories/count");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("re-created", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await fixture.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/memories", new { content = "after", category = "fact" })).StatusCode);
        Assert.Equal(1, (await (await client.GetAsync("/memories/count")).ReadAsync<MemoryCountResponse>()).Count);
    }

    public sealed class Fixture() : MemoryServiceFixture(usePool: false);
}
