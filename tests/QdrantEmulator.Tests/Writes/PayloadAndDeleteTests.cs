using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace QdrantEmulator.Tests.Writes;

[Collection("conformance")]
public sealed class PayloadAndDeleteTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task Delete_ByIds_RemovesOnlyThose()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.DeleteAsync(name, [1ul, 3ul, 99ul]);

        Assert.Equal([2ul], await IdsAsync(name));
    }

    [Fact]
    public async Task Delete_ByFilter_RemovesMatchingPoints()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.DeleteAsync(name, MatchKeyword("colour", "red"));

        Assert.Equal([2ul], await IdsAsync(name));
    }

    [Fact]
    public async Task Delete_WithoutSelector_IsInvalidArgument()
    {
        var name = await CreateWithPointsAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Malformed PointsSelector type",
            async () => await grpc.Points.DeleteAsync(new DeletePoints { CollectionName = name, Wait = true, Points = new PointsSelector() }));
    }

    [Fact]
    public async Task Delete_SelectorAbsent_IsInvalidArgument()
    {
        var name = await CreateWithPointsAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "PointSelector is missing",
            async () => await grpc.Points.DeleteAsync(new DeletePoints { CollectionName = name, Wait = true }));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "PointSelector is missing",
            async () => await grpc.Points.ClearPayloadAsync(new ClearPayloadPoints { CollectionName = name, Wait = true }));
    }

    [Fact]
    public async Task SetPayload_SelectorAbsent_IsInvalidArgument()
    {
        var name = await CreateWithPointsAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "points_selector is expected",
            async () => await grpc.Points.SetPayloadAsync(new SetPayloadPoints { CollectionName = name, Wait = true, Payload = { ["a"] = 1 } }));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "points_selector is expected",
            async () => await grpc.Points.DeletePayloadAsync(new DeletePayloadPoints { CollectionName = name, Wait = true, Keys = { "a" } }));
    }

    [Fact]
    public async Task Upsert_MalformedToMissingCollection_ReportsTheMalformedPartFirst()
    {
        // Qdrant converts the request before it looks the collection up.
        var name = ConformanceFixture.UniqueCollectionName();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Empty ID is not allowed",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Vectors = new[] { 1f } }]));
    }

    [Fact]
    public async Task SetPayload_MissingPointId_IsNotFound()
    {
        var name = await CreateWithPointsAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, "Not found: No point with id 42 found",
            () => fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["a"] = 1 }, 42ul));
    }

    [Fact]
    public async Task SetPayload_ById_MergesTopLevelKeys()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["size"] = 10, ["colour"] = "green" }, 1ul);

        var payload = await PayloadAsync(name, 1ul);
        Assert.Equal("green", payload["colour"].StringValue);
        Assert.Equal(10, payload["size"].IntegerValue);
        Assert.Equal("a", payload["tag"].StringValue);
    }

    [Fact]
    public async Task SetPayload_ByFilter_ChangesMatchingPointsOnly()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["flag"] = true }, MatchKeyword("colour", "red"));

        Assert.True((await PayloadAsync(name, 1ul))["flag"].BoolValue);
        Assert.False((await PayloadAsync(name, 2ul)).ContainsKey("flag"));
        Assert.True((await PayloadAsync(name, 3ul))["flag"].BoolValue);
    }

    [Fact]
    public async Task SetPayload_NestedObject_ReplacesTheKeysWholeValue()
    {
        var name = await CreateWithPointsAsync();
        var first = new Struct { Fields = { ["x"] = 1, ["y"] = 2 } };
        var second = new Struct { Fields = { ["z"] = 3 } };
        await fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["obj"] = new Value { StructValue = first } }, 1ul);

        await fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["obj"] = new Value { StructValue = second } }, 1ul);

        Assert.Equal(["z"], (await PayloadAsync(name, 1ul))["obj"].StructValue.Fields.Keys);
    }

    [Fact]
    public async Task SetPayload_NaNValue_IsInvalidArgument()
    {
        var name = await CreateWithPointsAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "cannot convert to json number",
            () => fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["bad"] = double.PositiveInfinity }, 1ul));
    }

    [Fact]
    public async Task OverwritePayload_ById_ReplacesWholePayload()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.OverwritePayloadAsync(name, new Dictionary<string, Value> { ["only"] = "this" }, 2ul);

        Assert.Equal(["only"], (await PayloadAsync(name, 2ul)).Keys);
    }

    [Fact]
    public async Task DeletePayload_Keys_RemovesThemOnly()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.DeletePayloadAsync(name, ["colour"], 3ul);

        Assert.Equal(["tag"], (await PayloadAsync(name, 3ul)).Keys);
    }

    [Fact]
    public async Task DeletePayload_UnparsableKey_IsInvalidJsonPath()
    {
        var name = await CreateWithPointsAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Invalid json path: 'colour['",
            () => fixture.Client.DeletePayloadAsync(name, ["colour["], 1ul));
    }

    [Fact]
    public async Task DeletePayload_DottedKey_RemovesNestedField()
    {
        var name = await CreateWithPointsAsync();
        var nested = new Struct { Fields = { ["keep"] = 1, ["drop"] = 2 } };
        await fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["obj"] = new Value { StructValue = nested } }, 2ul);

        await fixture.Client.DeletePayloadAsync(name, ["obj.drop"], 2ul);

        Assert.Equal(["keep"], (await PayloadAsync(name, 2ul))["obj"].StructValue.Fields.Keys);
    }

    [Fact]
    public async Task ClearPayload_ById_EmptiesPayloadAndKeepsVector()
    {
        var name = await CreateWithPointsAsync();

        await fixture.Client.ClearPayloadAsync(name, 1ul);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1ul, withPayload: true, withVectors: true));
        Assert.Empty(point.Payload);
        Assert.Equal(4, point.Vectors.Vector.Dense.Data.Count);
    }

    [Fact]
    public async Task FieldIndex_CreateThenDelete_IsReportedInPayloadSchema()
    {
        var name = await CreateWithPointsAsync();

        var created = await fixture.Client.CreatePayloadIndexAsync(name, "colour", PayloadSchemaType.Keyword);
        var withIndex = await fixture.Client.GetCollectionInfoAsync(name);
        await fixture.Client.DeletePayloadIndexAsync(name, "colour");
        var withoutIndex = await fixture.Client.GetCollectionInfoAsync(name);

        Assert.Equal(UpdateStatus.Completed, created.Status);
        Assert.Equal(PayloadSchemaType.Keyword, withIndex.PayloadSchema["colour"].DataType);
        Assert.False(withoutIndex.PayloadSchema.ContainsKey("colour"));
    }

    [Fact]
    public async Task Writes_ToMissingCollection_AreNotFound()
    {
        var name = ConformanceFixture.UniqueCollectionName();
        var expected = $"Not found: Collection `{name}` doesn't exist!";

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.DeleteAsync(name, 1ul));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected,
            () => fixture.Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["a"] = 1 }, 1ul));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.ClearPayloadAsync(name, 1ul));
    }

    private async Task<string> CreateWithPointsAsync()
    {
        var name = await fixture.CreateCollectionAsync(distance: Distance.Dot);
        await fixture.Client.UpsertAsync(name, [
            new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f }, Payload = { ["colour"] = "red", ["tag"] = "a" } },
            new PointStruct { Id = 2, Vectors = new[] { 0f, 1f, 0f, 0f }, Payload = { ["colour"] = "blue", ["tag"] = "b" } },
            new PointStruct { Id = 3, Vectors = new[] { 0f, 0f, 1f, 0f }, Payload = { ["colour"] = "red", ["tag"] = "c" } },
        ]);
        return name;
    }

    private async Task<List<ulong>> IdsAsync(string name) =>
        (await fixture.Client.ScrollAsync(name, limit: 100)).Result.Select(p => p.Id.Num).ToList();

    private async Task<Google.Protobuf.Collections.MapField<string, Value>> PayloadAsync(string name, ulong id) =>
        Assert.Single(await fixture.Client.RetrieveAsync(name, id, withPayload: true)).Payload;
}
