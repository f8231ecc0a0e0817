using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;
using static QdrantEmulator.Tests.Query.TestPoints;

namespace QdrantEmulator.Tests.Query;

public sealed class PayloadSelectionTests
{
    private const string Payload = """{"a": [{"b": 1, "c": 2}, {"b": 3}], "d": {"e": {"f": 4, "g": 5}}, "h": 6}""";

    private static MapField<string, Value> Select(WithPayloadSelector? selector, bool whenUnset = true)
    {
        var target = new MapField<string, Value>();
        PayloadSelection.From(selector, whenUnset).CopyInto(Parse(Payload), target);
        return target;
    }

    [Fact]
    public void From_Unset_FollowsTheMethodDefault()
    {
        Assert.Equal(3, Select(null, whenUnset: true).Count);
        Assert.Empty(Select(null, whenUnset: false));
    }

    [Fact]
    public void CopyInto_IncludeThroughArray_KeepsOnlyThatFieldOfEachElement()
    {
        var selected = Select(new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "a[].b" } } });

        var elements = Assert.Single(selected).Value.ListValue.Values;
        Assert.All(elements, e => Assert.Equal(["b"], e.StructValue.Fields.Keys));
        Assert.Equal(2, elements.Count);
    }

    [Fact]
    public void CopyInto_ExcludeDeepPath_DropsOnlyThatLeaf()
    {
        var selected = Select(new WithPayloadSelector { Exclude = new PayloadExcludeSelector { Fields = { "d.e.f" } } });

        Assert.Equal(["a", "d", "h"], selected.Keys.Order());
        Assert.Equal(["g"], selected["d"].StructValue.Fields["e"].StructValue.Fields.Keys);
    }

    [Fact]
    public void CopyInto_IncludeParentAndChild_KeepsWholeParent()
    {
        var selected = Select(new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "d", "d.e.f" } } });

        Assert.Equal(["f", "g"], selected["d"].StructValue.Fields["e"].StructValue.Fields.Keys.Order());
    }

    [Fact]
    public void From_BadPath_ThrowsInvalidJsonPath()
    {
        var error = Assert.Throws<RpcException>(() => Select(new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "a..b" } } }));

        Assert.Equal("Invalid json path: 'a..b'", error.Status.Detail);
    }

    [Fact]
    public void From_SelectorWithNothingSet_ThrowsNoPayloadSelector()
    {
        var error = Assert.Throws<RpcException>(() => Select(new WithPayloadSelector()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("No PayloadSelector", error.Status.Detail);
    }

    [Fact]
    public void FilterKey_QuotedSegment_MatchesKeyWithSpaces()
    {
        var point = WithPayload("""{"odd key": {"x.y": "v"}}""");

        Assert.True(FilterEvaluator.Matches(Conditions.MatchKeyword("\"odd key\".\"x.y\"", "v"), point));
    }
}
