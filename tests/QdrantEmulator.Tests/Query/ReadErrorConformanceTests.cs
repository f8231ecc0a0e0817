using Grpc.Core;
using Qdrant.Client.Grpc;
using static QdrantEmulator.Tests.ConformanceFixture;

namespace QdrantEmulator.Tests.Query;

/// <summary>The qdrant-api.md §4 error cases that apply to reads: status code and exact text.</summary>
[Collection("conformance")]
public sealed class ReadErrorConformanceTests(ConformanceFixture fixture)
{
    private const string EmptyFieldCondition =
        "Validation error in body: [filter.must[0].condition_one_of.match: At least one field condition must be specified]";

    private async Task<string> CreateWithPointAsync()
    {
        var name = await fixture.CreateCollectionAsync(size: 3, distance: Distance.Dot, prefix: "errors");
        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new float[] { 1, 2, 3 } }]);
        return name;
    }

    [Fact]
    public async Task Reads_MissingCollection_NotFoundWithName()
    {
        var name = UniqueCollectionName("missing");
        var detail = $"Not found: Collection `{name}` doesn't exist!";

        await AssertRpcErrorAsync(StatusCode.NotFound, detail, () => fixture.Client.QueryAsync(name, new float[] { 1, 2, 3 }));
        await AssertRpcErrorAsync(StatusCode.NotFound, detail, () => fixture.Client.ScrollAsync(name));
        await AssertRpcErrorAsync(StatusCode.NotFound, detail, () => fixture.Client.CountAsync(name));
        await AssertRpcErrorAsync(StatusCode.NotFound, detail, () => fixture.Client.RetrieveAsync(name, 1UL));
    }

    [Fact]
    public async Task Query_WrongDimension_InvalidArgument()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "Wrong input: Vector dimension error: expected dim: 3, got 2",
            () => fixture.Client.QueryAsync(name, new float[] { 1, 2 }));
    }

    [Fact]
    public async Task Search_UnknownVectorName_InvalidArgument()
    {
        var name = await CreateWithPointAsync();

#pragma warning disable CS0618 // SearchAsync is obsolete in the client, but the Search RPC is still served.
        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "Wrong input: Not existing vector name error: nope",
            () => fixture.Client.SearchAsync(name, new float[] { 1, 2, 3 }, vectorName: "nope"));
#pragma warning restore CS0618
    }

    [Fact]
    public async Task SearchAndQuery_LimitZero_ValidationError()
    {
        var name = await CreateWithPointAsync();
        const string Detail = "Validation error in body: [limit: value 0 invalid, must be 1 or larger]";

#pragma warning disable CS0618 // SearchAsync is obsolete in the client, but the Search RPC is still served.
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, Detail, () => fixture.Client.SearchAsync(name, new float[] { 1, 2, 3 }, limit: 0));
#pragma warning restore CS0618
        await AssertRpcErrorAsync(StatusCode.InvalidArgument, Detail, () => fixture.Client.QueryAsync(name, new float[] { 1, 2, 3 }, limit: 0));
    }

    [Fact]
    public async Task Retrieve_BadUuid_RawParseText()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "Unable to parse UUID: not-a-uuid",
            () => fixture.Client.RetrieveAsync(name, [new PointId { Uuid = "not-a-uuid" }]));
    }

    [Fact]
    public async Task Retrieve_IdWithoutVariant_NoIdOptions()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "No ID options provided",
            () => fixture.Client.RetrieveAsync(name, [new PointId()]));
    }

    [Fact]
    public async Task Count_MatchWithoutValue_MalformedMatch()
    {
        var name = await CreateWithPointAsync();
        var filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "a", Match = new Match() } } } };

        await AssertRpcErrorAsync(StatusCode.InvalidArgument, "Malformed Match condition", () => fixture.Client.CountAsync(name, filter));
    }

    [Fact]
    public async Task Scroll_UnparsableKey_InvalidJsonPath()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "Invalid json path: 'a..b'",
            () => fixture.Client.ScrollAsync(name, Conditions.MatchKeyword("a..b", "x")));
    }

    [Fact]
    public async Task Query_FieldConditionWithNothingSet_ValidationError()
    {
        var name = await CreateWithPointAsync();
        var filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "a" } } } };

        await AssertRpcErrorAsync(StatusCode.InvalidArgument, EmptyFieldCondition, () => fixture.Client.QueryAsync(name, filter: filter));
    }

    [Fact]
    public async Task Query_ScoreThresholdWithoutQuery_BadRequest()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.InvalidArgument,
            "Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query.",
            () => fixture.Client.QueryAsync(name, scoreThreshold: 0.5f));
    }

    [Fact]
    public async Task Query_NearestByMissingId_NotFound()
    {
        var name = await CreateWithPointAsync();

        await AssertRpcErrorAsync(
            StatusCode.NotFound,
            "Not found: Vector with name \"\" for point not found",
            () => fixture.Client.QueryAsync(name, new Qdrant.Client.Grpc.Query { Nearest = new VectorInput { Id = new PointId { Num = 404 } } }));
    }
}
