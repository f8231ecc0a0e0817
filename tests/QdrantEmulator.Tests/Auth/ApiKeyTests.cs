using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Auth;

/// <summary>Qdrant's API-key rules (reference §3): codes and exact texts.</summary>
[Collection("conformance")]
public sealed class ApiKeyTests(ConformanceFixture fixture)
{
    private const string MissingKey = "Must provide an API key or an Authorization bearer token";
    private const string InvalidKey = "Invalid API key or JWT";
    private const string ManageRequired = "Forbidden: Global manage access is required";

    [Fact]
    public async Task CollectionExists_WithoutKey_IsUnauthenticated()
    {
        using var client = fixture.CreateClient(apiKey: null);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unauthenticated, MissingKey,
            () => client.CollectionExistsAsync("anything"));
    }

    [Fact]
    public async Task CollectionExists_WrongKey_IsUnauthenticated()
    {
        using var client = fixture.CreateClient("not-the-key");

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unauthenticated, InvalidKey,
            () => client.CollectionExistsAsync("anything"));
    }

    [Fact]
    public async Task ListCollections_BearerToken_IsAccepted()
    {
        var grpc = fixture.CreateGrpcClient(("authorization", $"Bearer {fixture.ApiKey}"));

        var response = await grpc.Collections.ListAsync(new ListCollectionsRequest());

        Assert.NotNull(response.Collections);
    }

    [Fact]
    public async Task ListCollections_WrongBearerToken_IsUnauthenticated()
    {
        var grpc = fixture.CreateGrpcClient(("authorization", "Bearer nope"));

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unauthenticated, InvalidKey,
            async () => await grpc.Collections.ListAsync(new ListCollectionsRequest()));
    }

    [Fact]
    public async Task UnservedMethod_WithoutKey_IsUnauthenticatedBeforeRouting()
    {
        var grpc = fixture.CreateGrpcClient();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unauthenticated, MissingKey,
            async () => await grpc.Snapshots.ListFullAsync(new ListFullSnapshotsRequest()));
    }

    [Fact]
    public async Task Reads_ReadOnlyKey_Succeed()
    {
        var name = await fixture.CreateCollectionAsync();
        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } }]);
        using var reader = fixture.CreateClient(fixture.ReadOnlyApiKey);

        Assert.True(await reader.CollectionExistsAsync(name));
        Assert.Contains(name, await reader.ListCollectionsAsync());
        Assert.Equal(1ul, (await reader.GetCollectionInfoAsync(name)).PointsCount);
        Assert.Equal(1ul, await reader.CountAsync(name));
        Assert.Single(await reader.QueryAsync(name, new[] { 1f, 0f, 0f, 0f }));
        Assert.Single(await reader.RetrieveAsync(name, 1ul));
        Assert.Single((await reader.ScrollAsync(name)).Result);
    }

    [Fact]
    public async Task Upsert_ReadOnlyKey_IsPermissionDenied()
    {
        var name = await fixture.CreateCollectionAsync();
        using var reader = fixture.CreateClient(fixture.ReadOnlyApiKey);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.PermissionDenied, ManageRequired,
            () => reader.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } }]));
        Assert.Equal(0ul, await fixture.Client.CountAsync(name));
    }

    [Fact]
    public async Task CreateCollection_ReadOnlyKey_IsPermissionDenied()
    {
        using var reader = fixture.CreateClient(fixture.ReadOnlyApiKey);
        var name = ConformanceFixture.UniqueCollectionName();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.PermissionDenied, ManageRequired,
            () => reader.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Dot }));
        Assert.False(await fixture.Client.CollectionExistsAsync(name));
    }

    [Fact]
    public async Task DeleteCollection_ReadOnlyKey_IsPermissionDenied()
    {
        var name = await fixture.CreateCollectionAsync();
        using var reader = fixture.CreateClient(fixture.ReadOnlyApiKey);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.PermissionDenied, ManageRequired,
            () => reader.DeleteCollectionAsync(name));
        Assert.True(await fixture.Client.CollectionExistsAsync(name));
    }

    [Fact]
    public async Task EveryServedWrite_ReadOnlyKey_IsPermissionDeniedAndChangesNothing()
    {
        var name = await fixture.CreateCollectionAsync();
        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f }, Payload = { ["a"] = "x" } }]);
        var grpc = fixture.CreateGrpcClient(("api-key", fixture.ReadOnlyApiKey!));
        var one = new PointsSelector { Points = new PointsIdsList { Ids = { new PointId { Num = 1 } } } };
        var writes = new (string Method, Func<Task> Call)[]
        {
            ("Upsert", async () => await grpc.Points.UpsertAsync(new UpsertPoints { CollectionName = name, Wait = true, Points = { new PointStruct { Id = 2, Vectors = new[] { 0f, 1f, 0f, 0f } } } })),
            ("Delete", async () => await grpc.Points.DeleteAsync(new DeletePoints { CollectionName = name, Wait = true, Points = one })),
            ("SetPayload", async () => await grpc.Points.SetPayloadAsync(new SetPayloadPoints { CollectionName = name, Wait = true, Payload = { ["b"] = 1 }, PointsSelector = one })),
            ("OverwritePayload", async () => await grpc.Points.OverwritePayloadAsync(new SetPayloadPoints { CollectionName = name, Wait = true, Payload = { ["b"] = 1 }, PointsSelector = one })),
            ("DeletePayload", async () => await grpc.Points.DeletePayloadAsync(new DeletePayloadPoints { CollectionName = name, Wait = true, Keys = { "a" }, PointsSelector = one })),
            ("ClearPayload", async () => await grpc.Points.ClearPayloadAsync(new ClearPayloadPoints { CollectionName = name, Wait = true, Points = one })),
            ("CreateFieldIndex", async () => await grpc.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection { CollectionName = name, Wait = true, FieldName = "a", FieldType = FieldType.Keyword })),
            ("DeleteFieldIndex", async () => await grpc.Points.DeleteFieldIndexAsync(new DeleteFieldIndexCollection { CollectionName = name, Wait = true, FieldName = "a" })),
            ("Collections/Update", async () => await grpc.Collections.UpdateAsync(new UpdateCollection { CollectionName = name, OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 1 } })),
        };

        foreach (var (method, call) in writes)
        {
            var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(call);
            Assert.True(
                error.StatusCode == StatusCode.PermissionDenied && error.Status.Detail == ManageRequired,
                $"{method}: {error.StatusCode} \"{error.Status.Detail}\"");
        }

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1ul, withPayload: true));
        Assert.Equal("x", point.Payload["a"].StringValue);
        Assert.Equal(1ul, await fixture.Client.CountAsync(name));
        Assert.Empty((await fixture.Client.GetCollectionInfoAsync(name)).PayloadSchema);
    }
}
