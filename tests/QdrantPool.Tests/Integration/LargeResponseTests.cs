using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantPool.Tests.Integration;

/// <summary>
/// gRPC's client refuses replies over 4 MiB unless told otherwise; Qdrant's server has no cap, so a scroll with big
/// payloads must come through a pooled connection whole (MaxReceiveMessageSize, unlimited by default).
/// </summary>
[Collection(EmulatorCollection.Name)]
public class LargeResponseTests(EmulatorFixture emulator)
{
    private const int Points = 5;
    private const int PayloadChars = 1_100_000;

    [Fact]
    public async Task Scroll_ReplyOverFourMebibytes_ArrivesWithTheDefaultOptions()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        var collection = await CreateCollectionWithBigPayloadsAsync(pool);

        var reply = await pool.ExecuteAsync((client, ct) => client.ScrollAsync(collection, limit: Points, cancellationToken: ct), idempotent: true);

        Assert.Equal(Points, reply.Result.Count);
        Assert.All(reply.Result, point => Assert.Equal(PayloadChars, point.Payload["text"].StringValue.Length));
    }

    [Fact]
    public async Task Scroll_ReplyOverAnExplicitLimit_RejectedByTheClient()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.MaxReceiveMessageSize = 4 * 1024 * 1024));
        var collection = await CreateCollectionWithBigPayloadsAsync(pool);

        var ex = await Assert.ThrowsAsync<RpcException>(() => pool.ExecuteAsync((client, ct) => client.ScrollAsync(collection, limit: Points, cancellationToken: ct), idempotent: true));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static async Task<string> CreateCollectionWithBigPayloadsAsync(QdrantConnectionPool pool)
    {
        var collection = "large_" + Guid.NewGuid().ToString("N")[..8];
        var text = new string('x', PayloadChars);
        await pool.ExecuteAsync(async (client, ct) =>
        {
            await client.CreateCollectionAsync(collection, new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: ct);

            // One point per request keeps each request under the emulator's (and gRPC's) usual request limits.
            for (var i = 0; i < Points; i++)
            {
                var point = new PointStruct { Id = (ulong)(i + 1), Vectors = new[] { 1f, 0f, 0f, i }, Payload = { ["text"] = text } };
                await client.UpsertAsync(collection, [point], cancellationToken: ct);
            }
        }, idempotent: false);
        return collection;
    }
}
