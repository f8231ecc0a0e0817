using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;
using static Qdrant.Client.Grpc.Conditions;
using static QdrantEmulator.Tests.Query.TestPoints;

namespace QdrantEmulator.Tests.Query;

public sealed class FilterEvaluatorTests
{
    [Fact]
    public void Matches_NullOrEmptyFilter_PassesEverything()
    {
        var point = WithPayload("""{"a": 1}""");

        Assert.True(FilterEvaluator.Matches(null, point));
        Assert.True(FilterEvaluator.Matches(new Filter(), point));
        Assert.True(FilterEvaluator.Matches(new Filter { Should = { new Condition() } }, point));
    }

    [Theory]
    [InlineData("""{"city": "Berlin"}""", true)]
    [InlineData("""{"city": ["Paris", "Berlin"]}""", true)]
    [InlineData("""{"city": "berlin"}""", false)]
    [InlineData("""{"city": 1}""", false)]
    [InlineData("""{}""", false)]
    public void Matches_Keyword_StringEqualityAnyArrayElement(string payload, bool expected)
    {
        Assert.Equal(expected, FilterEvaluator.Matches(MatchKeyword("city", "Berlin"), WithPayload(payload)));
    }

    [Theory]
    [InlineData("""{"n": 3}""", true)]
    [InlineData("""{"n": 3.0}""", false)]
    [InlineData("""{"n": [1, 3]}""", true)]
    [InlineData("""{"n": "3"}""", false)]
    public void Matches_Integer_OnlyIntegersMatch(string payload, bool expected)
    {
        Assert.Equal(expected, FilterEvaluator.Matches(Match("n", 3), WithPayload(payload)));
    }

    [Fact]
    public void Matches_Bool_MatchesBoolEquality()
    {
        Assert.True(FilterEvaluator.Matches(Match("ok", true), WithPayload("""{"ok": true}""")));
        Assert.False(FilterEvaluator.Matches(Match("ok", true), WithPayload("""{"ok": false}""")));
        Assert.False(FilterEvaluator.Matches(Match("ok", true), WithPayload("""{"ok": "true"}""")));
    }

    [Fact]
    public void Matches_AnyAndExcept_FollowQdrantRules()
    {
        var keywords = new[] { "a", "b" };
        var integers = new long[] { 1, 2 };

        Assert.True(FilterEvaluator.Matches(Match("k", keywords), WithPayload("""{"k": "b"}""")));
        Assert.False(FilterEvaluator.Matches(Match("k", keywords), WithPayload("""{"k": "c"}""")));
        Assert.True(FilterEvaluator.Matches(Match("i", integers), WithPayload("""{"i": [5, 2]}""")));
        Assert.True(FilterEvaluator.Matches(MatchExcept("k", keywords), WithPayload("""{"k": "c"}""")));
        Assert.False(FilterEvaluator.Matches(MatchExcept("k", keywords), WithPayload("""{"k": "a"}""")));
        // A value of another type is "none of" the listed ones; null and a missing key are not.
        Assert.True(FilterEvaluator.Matches(MatchExcept("k", keywords), WithPayload("""{"k": 5}""")));
        Assert.False(FilterEvaluator.Matches(MatchExcept("k", keywords), WithPayload("""{"k": null}""")));
        Assert.False(FilterEvaluator.Matches(MatchExcept("k", keywords), WithPayload("""{}""")));
        Assert.True(FilterEvaluator.Matches(MatchExcept("i", integers), WithPayload("""{"i": 1.5}""")));
        Assert.False(FilterEvaluator.Matches(MatchExcept("i", integers), WithPayload("""{"i": 2}""")));
    }

    [Theory]
    [InlineData("""{"p": 10}""", true)]
    [InlineData("""{"p": 10.5}""", true)]
    [InlineData("""{"p": 20}""", false)]
    [InlineData("""{"p": 5}""", false)]
    [InlineData("""{"p": [1, 15]}""", true)]
    [InlineData("""{"p": "10"}""", false)]
    [InlineData("""{}""", false)]
    public void Matches_Range_GteAndLtOnAnyNumber(string payload, bool expected)
    {
        var filter = Conditions.Range("p", new Qdrant.Client.Grpc.Range { Gte = 10, Lt = 20 });

        Assert.Equal(expected, FilterEvaluator.Matches(filter, WithPayload(payload)));
    }

    [Theory]
    [InlineData("""{}""", true, false)]
    [InlineData("""{"f": null}""", true, true)]
    [InlineData("""{"f": []}""", true, false)]
    [InlineData("""{"f": [null]}""", false, false)]
    [InlineData("""{"f": 0}""", false, false)]
    [InlineData("""{"f": ""}""", false, false)]
    public void Matches_IsEmptyAndIsNull_DistinguishMissingNullAndEmpty(string payload, bool isEmpty, bool isNull)
    {
        var point = WithPayload(payload);

        Assert.Equal(isEmpty, FilterEvaluator.Matches(IsEmpty("f"), point));
        Assert.Equal(isNull, FilterEvaluator.Matches(IsNull("f"), point));
    }

    [Fact]
    public void Matches_HasId_MatchesListedIds()
    {
        var point = Point(7);

        Assert.True(FilterEvaluator.Matches(HasId([3UL, 7UL]), point));
        Assert.False(FilterEvaluator.Matches(HasId(8), point));
    }

    [Fact]
    public void Matches_DottedKeys_DescendObjectsButNotArraysWithoutBrackets()
    {
        var point = WithPayload("""{"a": {"b": "x"}, "list": [{"b": "y"}, {"b": "z"}]}""");

        Assert.True(FilterEvaluator.Matches(MatchKeyword("a.b", "x"), point));
        Assert.False(FilterEvaluator.Matches(MatchKeyword("list.b", "z"), point));
        Assert.True(FilterEvaluator.Matches(MatchKeyword("list[].b", "z"), point));
        Assert.True(FilterEvaluator.Matches(MatchKeyword("list[0].b", "y"), point));
        Assert.False(FilterEvaluator.Matches(MatchKeyword("list[0].b", "z"), point));
    }

    [Fact]
    public void Matches_MustShouldMustNot_CombineAsQdrant()
    {
        var point = WithPayload("""{"color": "red", "size": 3}""");
        var filter = new Filter
        {
            Must = { MatchKeyword("color", "red") },
            Should = { Match("size", 1), Match("size", 3) },
            MustNot = { MatchKeyword("color", "blue") },
        };

        Assert.True(FilterEvaluator.Matches(filter, point));
        filter.MustNot.Add(Match("size", 3));
        Assert.False(FilterEvaluator.Matches(filter, point));
    }

    [Fact]
    public void Matches_MustNotOnMissingField_Passes()
    {
        Assert.True(FilterEvaluator.Matches(new Filter { MustNot = { MatchKeyword("missing", "x") } }, WithPayload("{}")));
    }

    [Theory]
    [InlineData(2UL, true)]
    [InlineData(3UL, false)]
    [InlineData(0UL, true)]
    public void Matches_MinShould_NeedsAtLeastMinCount(ulong minCount, bool expected)
    {
        var point = WithPayload("""{"a": 1, "b": 2, "c": 0}""");
        var filter = new Filter
        {
            MinShould = new MinShould { MinCount = minCount, Conditions = { Match("a", 1), Match("b", 2), Match("c", 3) } },
        };

        Assert.Equal(expected, FilterEvaluator.Matches(filter, point));
    }

    [Fact]
    public void Matches_NestedFilterCondition_Recurses()
    {
        var point = WithPayload("""{"a": 1, "b": 2}""");
        var inner = new Filter { Should = { Match("a", 5), Match("b", 2) } };

        Assert.True(FilterEvaluator.Matches(new Filter { Must = { Conditions.Filter(inner) } }, point));
        Assert.False(FilterEvaluator.Matches(new Filter { MustNot = { Conditions.Filter(inner) } }, point));
    }

    [Fact]
    public void Matches_NestedCondition_RequiresOneObjectToPassAll()
    {
        var point = WithPayload("""{"items": [{"k": "a", "n": 1}, {"k": "b", "n": 2}]}""");
        var sameObject = new Filter { Must = { MatchKeyword("k", "a"), Match("n", 1) } };
        var acrossObjects = new Filter { Must = { MatchKeyword("k", "a"), Match("n", 2) } };

        Assert.True(FilterEvaluator.Matches(Nested("items", sameObject), point));
        Assert.False(FilterEvaluator.Matches(Nested("items", acrossObjects), point));
    }

    [Fact]
    public void Matches_ValuesCountAndText_CountElementsAndFindSubstrings()
    {
        var point = WithPayload("""{"tags": ["a", "b", "c"], "title": "hello world"}""");

        Assert.True(FilterEvaluator.Matches(ValuesCount("tags", new ValuesCount { Gte = 3 }), point));
        Assert.False(FilterEvaluator.Matches(ValuesCount("tags", new ValuesCount { Gt = 3 }), point));
        Assert.True(FilterEvaluator.Matches(MatchText("title", "lo wo"), point));
        Assert.False(FilterEvaluator.Matches(MatchText("title", "bye"), point));
    }

    [Fact]
    public void Validate_EmptyFieldCondition_ThrowsValidationTextWithPath()
    {
        var filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "a" } } } };

        var error = Assert.Throws<RpcException>(() => FilterEvaluator.Validate(filter));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            "Validation error in body: [filter.must[0].condition_one_of.match: At least one field condition must be specified]",
            error.Status.Detail);
    }

    [Fact]
    public void Validate_MatchWithoutValue_ThrowsMalformedMatch()
    {
        var filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "a", Match = new Match() } } } };

        var error = Assert.Throws<RpcException>(() => FilterEvaluator.Validate(filter));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Malformed Match condition", error.Status.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a[x]")]
    [InlineData(".a")]
    public void Validate_BadKey_ThrowsInvalidJsonPath(string key)
    {
        var error = Assert.Throws<RpcException>(() => FilterEvaluator.Validate(MatchKeyword(key, "v")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"Invalid json path: '{key}'", error.Status.Detail);
    }

    [Fact]
    public void Validate_BadHasIdUuid_ThrowsUuidText()
    {
        Filter filter = new Condition { HasId = new HasIdCondition { HasId = { new PointId { Uuid = "nope" } } } };

        var error = Assert.Throws<RpcException>(() => FilterEvaluator.Validate(filter));

        Assert.Equal("Unable to parse UUID: nope", error.Status.Detail);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("a-b_c.d", true)]
    [InlineData("\"odd key\".x[]", true)]
    [InlineData("a[3][]", true)]
    [InlineData("a.", false)]
    [InlineData("\"unterminated", false)]
    public void JsonPathTryParse_KnownShapes_AcceptedOrRejected(string key, bool valid)
    {
        Assert.Equal(valid, JsonPath.TryParse(key, out _));
    }
}
