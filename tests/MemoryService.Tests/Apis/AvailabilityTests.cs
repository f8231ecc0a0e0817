using System.Net;
using System.Text.Json;
using MemoryService.Store;
using MemoryService.Tests.Support;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace MemoryService.Tests.Apis;

/// <summary>The service starts while Qdrant is away, answers 503 with Retry-After until the collection is ready, then works.</summary>
public abstract class QdrantAwayTests(MemoryServiceFixture fixture)
{
    [Fact]
    public async Task Starts_without_Qdrant_answers_503_with_Retry_After_then_serves_once_Qdrant_appears()
    {
        using var client = fixture.CreateClient();

        var refused = await client.PostJsonAsync("/memories", new { content = "too early", category = "fact" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/memories/count")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        var health = await HealthAsync(client);
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        var description = health.GetProperty("checks").GetProperty(MemoryCollectionHealthCheck.Name).GetProperty("description").GetString();
        // "is being prepared" before the first attempt ends, "is not ready: attempt N failed (...)" after.
        Assert.StartsWith($"Collection '{fixture.Collection}' is ", description, StringComparison.Ordinal);
        Assert.DoesNotContain("is ready", description, StringComparison.Ordinal);

        await fixture.StartEmulatorAsync();
        await fixture.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        // The pool's circuit may still be open from the failed attempts: wait for the first success, bounded.
        HttpResponseMessage? stored = null;
        await Eventually.TrueAsync(async () =>
        {
            stored = await client.PostJsonAsync("/memories", new { content = "on time", category = "fact" });
            Assert.True(stored.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, stored.StatusCode.ToString());
            return stored.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), "the first write after Qdrant appeared");
        Assert.Equal(1, (await (await client.GetAsync("/memories/count")).ReadAsync<MemoryService.Memories.MemoryCountResponse>()).Count);
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client) =>
        JsonDocument.Parse(await (await client.GetAsync("/health")).Content.ReadAsStringAsync()).RootElement;
}

public sealed class QdrantAwayFixture() : MemoryServiceFixture(usePool: true)
{
    protected override bool StartEmulatorFirst => false;

    protected override bool WaitForReadiness => false;
}

public sealed class QdrantAwaySharedClientFixture() : MemoryServiceFixture(usePool: false)
{
    protected override bool StartEmulatorFirst => false;

    protected override bool WaitForReadiness => false;
}

public sealed class QdrantAwayTests_WithPool(QdrantAwayFixture fixture) : QdrantAwayTests(fixture), IClassFixture<QdrantAwayFixture>;

public sealed class QdrantAwayTests_WithoutPool(QdrantAwaySharedClientFixture fixture) : QdrantAwayTests(fixture), IClassFixture<QdrantAwaySharedClientFixture>;

/// <summary>A collection made for another embedding dimension is a configuration mistake: Unhealthy, saying so, and 503.</summary>
public sealed class MismatchedCollectionTests(MismatchedCollectionTests.Fixture fixture) : IClassFixture<MismatchedCollectionTests.Fixture>
{
    [Fact]
    public async Task Health_is_Unhealthy_naming_the_collection_what_it_has_and_what_is_needed()
    {
        using var client = fixture.CreateClient();
        await Eventually.TrueAsync(async () => (await (await client.GetAsync("/health")).Content.ReadAsStringAsync()).Contains("has 8 dimensions", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the collection check");

        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", health.RootElement.GetProperty("status").GetString());
        var description = health.RootElement.GetProperty("checks").GetProperty(MemoryCollectionHealthCheck.Name).GetProperty("description").GetString();
        Assert.Equal(
            $"Collection '{fixture.Collection}' has 8 dimensions, Dot, but the embedding generator needs 256 dimensions, Cosine. " +
            "Set Memory:Collection to a new name, or delete the collection to have it re-created (a change of Memory:Embeddings:Provider changes the dimension).",
            description);
        Assert.Contains(fixture.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains(description!, StringComparison.Ordinal));

        var refused = await client.PostJsonAsync("/memories", new { content = "nowhere to go", category = "fact" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    public sealed class Fixture() : MemoryServiceFixture(usePool: true)
    {
        protected override bool WaitForReadiness => false;

        protected override async Task BeforeServiceStartsAsync()
        {
            using var qdrant = new QdrantClient(QdrantEndpoint, QdrantKey);
            await qdrant.CreateCollectionAsync(Collection, new VectorParams { Size = 8, Distance = Distance.Dot });
        }
    }
}

/// <summary>Qdrant going away under a ready service: 503 with Retry-After, never a 500; back when it returns.</summary>
public abstract class QdrantOutageTests(MemoryServiceFixture fixture)
{
    [Fact]
    public async Task While_Qdrant_is_down_every_call_answers_503_with_Retry_After_and_none_500()
    {
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/memories", new { content = "before the outage", category = "fact" })).StatusCode);

        await fixture.StopEmulatorAsync();
        var details = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            var response = i % 2 == 0
                ? await client.PostJsonAsync("/memories", new { content = $"during the outage {i}", category = "fact" })
                : await client.GetAsync("/memories/count");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            details.Add(problem.RootElement.GetProperty("detail").GetString()!);
        }

        if (fixture.UsePool)
        {
            // 15 failed calls pass the breaker's minimum throughput (10): it opens and later calls fail fast.
            Assert.Contains(details, detail => detail.Contains("circuit is open", StringComparison.Ordinal));
        }

        await fixture.StartEmulatorAsync();
        await Eventually.TrueAsync(async () =>
            (await client.GetAsync("/memories/count")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "Qdrant to be back");
        Assert.Equal(1, (await (await client.GetAsync("/memories/count")).ReadAsync<MemoryService.Memories.MemoryCountResponse>()).Count);
    }
}

public sealed class OutageFixture() : MemoryServiceFixture(usePool: true);

public sealed class OutageSharedClientFixture() : MemoryServiceFixture(usePool: false);

public sealed class QdrantOutageTests_WithPool(OutageFixture fixture) : QdrantOutageTests(fixture), IClassFixture<OutageFixture>;

public sealed class QdrantOutageTests_WithoutPool(OutageSharedClientFixture fixture) : QdrantOutageTests(fixture), IClassFixture<OutageSharedClientFixture>;
