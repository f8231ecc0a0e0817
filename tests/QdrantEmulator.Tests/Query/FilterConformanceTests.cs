using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace QdrantEmulator.Tests.Query;

/// <summary>Every filter condition kind through Scroll, over a small fixed set of payloads.</summary>
[Collection("conformance")]
public sealed class FilterConformanceTests(ConformanceFixture fixture) : IAsyncLifetime
{
    private string collection = null!;

    public async Task InitializeAsync()
    {
        collection = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "filters");
        await fixture.Client.UpsertAsync(collection, [
            Point(1, new() { ["city"] = "Berlin", ["n"] = 1, ["price"] = 9.5, ["ok"] = true, ["tags"] = new[] { "a", "b" },
                ["address"] = new Dictionary<string, Value> { ["zip"] = "10115" },
                ["items"] = new Value[] { Obj(("k", "x"), ("q", 1)), Obj(("k", "y"), ("q", 2)) } }),
            Point(2, new() { ["city"] = "Paris", ["n"] = 2, ["price"] = 20.0, ["ok"] = false, ["tags"] = Array.Empty<string>(),
                ["address"] = new Dictionary<string, Value> { ["zip"] = "75001" },
                ["items"] = new Value[] { Obj(("k", "x"), ("q", 2)) } }),
            Point(3, new() { ["city"] = new[] { "Rome", "Berlin" }, ["n"] = 3.0, ["nothing"] = new Value { NullValue = NullValue.NullValue } }),
            Point(4, new() { ["n"] = 4 }),
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static PointStruct Point(ulong id, Dictionary<string, Value> payload)
    {
        var point = new PointStruct { Id = id, Vectors = new float[] { 1, 0 } };
        point.Payload.Add(payload);
        return point;
    }

    private static Value Obj(params (string Key, Value Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private async Task<ulong[]> IdsAsync(Filter filter)
    {
        var response = await fixture.Client.ScrollAsync(collection, filter, limit: 100);
        return [.. response.Result.Select(p => p.Id.Num)];
    }

    [Fact]
    public async Task MatchKeyword_ArrayValue_MatchesAnyElement() =>
        Assert.Equal(new ulong[] { 1, 3 }, await IdsAsync(MatchKeyword("city", "Berlin")));

    [Fact]
    public async Task MatchInteger_DoubleValue_DoesNotMatch()
    {
        // Point 3 holds 3.0 as a double: integer match is for integers only.
        Assert.Empty(await IdsAsync(Match("n", 3)));
        Assert.Equal(new ulong[] { 2 }, await IdsAsync(Match("n", 2)));
    }

    [Fact]
    public async Task MatchBool_False_MatchesEquality() =>
        Assert.Equal(new ulong[] { 2 }, await IdsAsync(Match("ok", false)));

    [Fact]
    public async Task MatchAny_KeywordsAndIntegers_MatchAnyListed()
    {
        Assert.Equal(new ulong[] { 2, 3 }, await IdsAsync(Match("city", new[] { "Paris", "Rome" })));
        Assert.Equal(new ulong[] { 1, 4 }, await IdsAsync(Match("n", new long[] { 1, 4 })));
    }

    [Fact]
    public async Task MatchExcept_KeywordsAndIntegers_MatchNoneListedPresentValues()
    {
        // Point 3's array holds "Rome", which is not excluded; point 4 has no city at all.
        Assert.Equal(new ulong[] { 2, 3 }, await IdsAsync(MatchExcept("city", new[] { "Berlin" })));
        // Point 3's 3.0 is a double, so it is "none of" the integers.
        Assert.Equal(new ulong[] { 2, 3 }, await IdsAsync(MatchExcept("n", new long[] { 1, 4 })));
    }

    [Fact]
    public async Task Range_IntegersAndDoubles_BothCompared()
    {
        Assert.Equal(new ulong[] { 2, 3 }, await IdsAsync(Conditions.Range("n", new Qdrant.Client.Grpc.Range { Gt = 1, Lt = 4 })));
        Assert.Equal(new ulong[] { 1 }, await IdsAsync(Conditions.Range("price", new Qdrant.Client.Grpc.Range { Lte = 9.5 })));
    }

    [Fact]
    public async Task IsEmpty_MissingNullOrEmptyArray_Matches()
    {
        Assert.Equal(new ulong[] { 2, 3, 4 }, await IdsAsync(IsEmpty("tags")));
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, await IdsAsync(IsEmpty("nothing")));
    }

    [Fact]
    public async Task IsNull_ExplicitNullOnly_Matches() =>
        Assert.Equal(new ulong[] { 3 }, await IdsAsync(IsNull("nothing")));

    [Fact]
    public async Task HasId_ListedIds_Match() =>
        Assert.Equal(new ulong[] { 2, 4 }, await IdsAsync(HasId([4UL, 2UL, 99UL])));

    [Fact]
    public async Task DottedKey_ArrayWithoutBrackets_NotEntered()
    {
        Assert.Equal(new ulong[] { 2 }, await IdsAsync(MatchKeyword("address.zip", "75001")));
        // Without [] the path does not enter the array of objects.
        Assert.Empty(await IdsAsync(MatchKeyword("items.k", "y")));
        Assert.Equal(new ulong[] { 1 }, await IdsAsync(MatchKeyword("items[].k", "y")));
    }

    [Fact]
    public async Task MustShouldMustNot_Together_AllApply()
    {
        var filter = new Filter
        {
            Should = { MatchKeyword("city", "Berlin"), MatchKeyword("city", "Paris") },
            MustNot = { Match("ok", false) },
        };

        Assert.Equal(new ulong[] { 1, 3 }, await IdsAsync(filter));
    }

    [Fact]
    public async Task MustNot_MissingField_Passes() =>
        Assert.Equal(new ulong[] { 2, 3, 4 }, await IdsAsync(new Filter { MustNot = { Match("ok", true) } }));

    [Fact]
    public async Task MinShould_TwoOfThree_NeedsAtLeastMinCount()
    {
        var filter = new Filter
        {
            MinShould = new MinShould
            {
                MinCount = 2,
                Conditions = { MatchKeyword("city", "Berlin"), Match("ok", true), Match("n", 3) },
            },
        };

        // Point 1: Berlin and ok; point 3: Berlin only (its n is a double).
        Assert.Equal(new ulong[] { 1 }, await IdsAsync(filter));
    }

    [Fact]
    public async Task FilterCondition_UnderMustNot_Recurses()
    {
        var inner = new Filter { Should = { Match("n", 1), Match("n", 4) } };

        Assert.Equal(new ulong[] { 2, 3 }, await IdsAsync(new Filter { MustNot = { Conditions.Filter(inner) } }));
    }

    [Fact]
    public async Task NestedCondition_ConditionsOnDifferentObjects_DoNotMatch()
    {
        var sameObject = new Filter { Must = { MatchKeyword("k", "x"), Match("q", 2) } };

        Assert.Equal(new ulong[] { 2 }, await IdsAsync(Nested("items", sameObject)));
    }

    [Fact]
    public async Task Count_WithFilter_CountsMatches()
    {
        Assert.Equal(2UL, await fixture.Client.CountAsync(collection, MatchKeyword("city", "Berlin")));
        Assert.Equal(4UL, await fixture.Client.CountAsync(collection));
    }
}
