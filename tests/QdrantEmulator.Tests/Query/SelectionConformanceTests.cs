using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Query;

/// <summary>with_payload / with_vectors selectors and named vectors, through the official client.</summary>
[Collection("conformance")]
public sealed class SelectionConformanceTests(ConformanceFixture fixture)
{
    private async Task<string> CreateOnePointAsync()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "selection");
        var point = new PointStruct { Id = 1, Vectors = new float[] { 3, 4 } };
        point.Payload.Add(new Dictionary<string, Value>
        {
            ["a"] = new Dictionary<string, Value> { ["x"] = 1, ["y"] = 2 },
            ["b"] = "two",
            ["c"] = 3.5,
        });
        await fixture.Client.UpsertAsync(name, [point]);
        return name;
    }

    [Fact]
    public async Task Query_PayloadOffVectorsOff_EmptyPayloadUnsetVectors()
    {
        var name = await CreateOnePointAsync();

        var hit = Assert.Single(await fixture.Client.QueryAsync(name, new float[] { 1, 0 }, payloadSelector: false));

        Assert.Empty(hit.Payload);
        Assert.Null(hit.Vectors);
    }

    [Fact]
    public async Task Query_PayloadOnVectorsOn_EverythingWithDenseUnnamedVector()
    {
        var name = await CreateOnePointAsync();

        var hit = Assert.Single(await fixture.Client.QueryAsync(name, new float[] { 1, 0 }, payloadSelector: true, vectorsSelector: true));

        Assert.Equal(["a", "b", "c"], hit.Payload.Keys.Order());
        Assert.Equal(3.5, hit.Payload["c"].DoubleValue);
        Assert.Equal(1, hit.Payload["a"].StructValue.Fields["x"].IntegerValue);
        Assert.Equal([3f, 4f], hit.Vectors.Vector.Dense.Data);
    }

    [Fact]
    public async Task Retrieve_IncludeAndExcludePaths_SelectParts()
    {
        var name = await CreateOnePointAsync();
        var include = new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "a.y", "b" } } };
        var exclude = new WithPayloadSelector { Exclude = new PayloadExcludeSelector { Fields = { "a.x", "c" } } };

        var included = Assert.Single(await fixture.Client.RetrieveAsync(name, [new PointId { Num = 1 }], include, new WithVectorsSelector { Enable = false })).Payload;
        var excluded = Assert.Single(await fixture.Client.RetrieveAsync(name, [new PointId { Num = 1 }], exclude, new WithVectorsSelector { Enable = false })).Payload;

        Assert.Equal(["a", "b"], included.Keys.Order());
        Assert.Equal(["y"], included["a"].StructValue.Fields.Keys);
        Assert.Equal(["a", "b"], excluded.Keys.Order());
        Assert.Equal(["y"], excluded["a"].StructValue.Fields.Keys);
    }

    [Fact]
    public async Task Query_NamedVectors_UsingSelectsVectorAndIncludeNamesFilterOutput()
    {
        var name = ConformanceFixture.UniqueCollectionName("named");
        await fixture.Client.CreateCollectionAsync(name, new VectorParamsMap
        {
            Map =
            {
                ["text"] = new VectorParams { Size = 2, Distance = Distance.Dot },
                ["image"] = new VectorParams { Size = 3, Distance = Distance.Dot },
            },
        });
        await fixture.Client.UpsertAsync(name, [
            new PointStruct { Id = 1, Vectors = new Dictionary<string, float[]> { ["text"] = [1, 0], ["image"] = [0, 0, 1] } },
            new PointStruct { Id = 2, Vectors = new Dictionary<string, float[]> { ["text"] = [0, 1], ["image"] = [0, 0, 5] } },
        ]);
        var onlyImage = new WithVectorsSelector { Include = new VectorsSelector { Names = { "image" } } };

        var result = await fixture.Client.QueryAsync(name, new float[] { 0, 0, 2 }, usingVector: "image", vectorsSelector: onlyImage);

        // Against (0,0,2) on "image": point 2 scores 10, point 1 scores 2.
        Assert.Equal(new ulong[] { 2, 1 }, result.Select(r => r.Id.Num));
        Assert.Equal(10f, result[0].Score, 5);
        Assert.Equal(["image"], result[0].Vectors.Vectors.Vectors.Keys);
        Assert.Equal([0f, 0f, 5f], result[0].Vectors.Vectors.Vectors["image"].Dense.Data);
    }

    [Fact]
    public async Task Retrieve_CosineCollection_VectorsComeBackNormalised()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Cosine, prefix: "selection");
        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new float[] { 3, 4 } }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1UL, withVectors: true));

        // (3,4) / 5 = (0.6, 0.8).
        Assert.Equal(0.6f, point.Vectors.Vector.Dense.Data[0], 5);
        Assert.Equal(0.8f, point.Vectors.Vector.Dense.Data[1], 5);
    }
}
