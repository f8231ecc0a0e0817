using Grpc.Core;
using Qdrant.Client.Grpc;
using static QdrantEmulator.Tests.ConformanceFixture;

namespace QdrantEmulator.Tests.Collections;

/// <summary>
/// Every request naming a collection validates that name first (Qdrant's lib/api/build.rs: 1..255 characters, and no
/// '/' or NUL for names of existing collections), so a bad name is INVALID_ARGUMENT, never NOT_FOUND.
/// </summary>
[Collection("conformance")]
public sealed class CollectionNameValidationTests(ConformanceFixture fixture)
{
    private const string EmptyName = "Validation error in body: [collection_name: value \"\" invalid, must be from 1 to 255 characters]";

    [Fact]
    public async Task CollectionCalls_EmptyName_AreValidationErrors()
    {
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.GetCollectionInfoAsync(string.Empty));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.CollectionExistsAsync(string.Empty));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName,
            () => fixture.Client.UpdateCollectionAsync(string.Empty, optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 1 }));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.CreateCollectionAsync(string.Empty, new VectorParams { Size = 2, Distance = Distance.Dot }));
    }

    [Fact]
    public async Task DeleteCollection_EmptyName_IsValidationErrorNotResultFalse()
    {
        // A missing collection answers OK with result=false; an invalid name never gets that far.
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.DeleteCollectionAsync(string.Empty));
    }

    [Fact]
    public async Task PointWrites_EmptyName_AreValidationErrorsBeforePointChecks()
    {
        // The point has no id, which would be "Empty ID is not allowed": the name is checked first.
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName,
            () => fixture.Client.UpsertAsync(string.Empty, [new PointStruct { Vectors = new float[] { 1, 2 } }]));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.DeleteAsync(string.Empty, 1ul));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName,
            () => fixture.Client.SetPayloadAsync(string.Empty, new Dictionary<string, Value> { ["a"] = 1 }, 1ul));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.CreatePayloadIndexAsync(string.Empty, "a"));
    }

    [Fact]
    public async Task PointReads_EmptyName_AreValidationErrors()
    {
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.QueryAsync(string.Empty, new float[] { 1, 2 }));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.ScrollAsync(string.Empty));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.CountAsync(string.Empty));
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyName, () => fixture.Client.RetrieveAsync(string.Empty, 1ul));
    }

    [Fact]
    public async Task Query_NameTooLong_IsValidationError()
    {
        var name = new string('q', 256);

        await AssertRpcErrorAsync(StatusCode.InvalidArgument,
            $"Validation error in body: [collection_name: value \"{name}\" invalid, must be from 1 to 255 characters]",
            () => fixture.Client.QueryAsync(name, new float[] { 1, 2 }));
    }

    [Fact]
    public async Task GetCollectionInfo_NameWithSlash_IsValidationError()
    {
        await AssertRpcErrorAsync(StatusCode.InvalidArgument,
            "Validation error in body: [collection_name: collection name cannot contain \"/\" char]",
            () => fixture.Client.GetCollectionInfoAsync("a/b"));
    }

    [Fact]
    public async Task GetCollectionInfo_NameWithCharOnlyCreateRefuses_IsNotFound()
    {
        // ':' is refused when creating, but names of existing collections are checked by the legacy rule only.
        var name = UniqueCollectionName("legacy:");

        await AssertRpcErrorAsync(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!",
            () => fixture.Client.GetCollectionInfoAsync(name));
    }

    [Fact]
    public async Task QueryBatch_EntryWithoutItsOwnName_IsValidationErrorNamingTheEntry()
    {
        // The official client copies the collection name into every entry; a raw request that does not is refused.
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot);
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await AssertRpcErrorAsync(StatusCode.InvalidArgument,
            "Validation error in body: [query_points[0].collection_name: value \"\" invalid, must be from 1 to 255 characters]",
            async () => await grpc.Points.QueryBatchAsync(new QueryBatchPoints { CollectionName = name, QueryPoints = { new QueryPoints { Limit = 1 } } }));
    }
}
