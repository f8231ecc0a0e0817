using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Collections;

[Collection("conformance")]
public sealed class CollectionLifecycleTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task CreateCollection_New_ExistsAndIsListed()
    {
        var name = ConformanceFixture.UniqueCollectionName();

        await fixture.Client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Dot });

        Assert.True(await fixture.Client.CollectionExistsAsync(name));
        Assert.Contains(name, await fixture.Client.ListCollectionsAsync());
    }

    [Fact]
    public async Task CollectionExists_Missing_ReturnsFalse()
    {
        Assert.False(await fixture.Client.CollectionExistsAsync(ConformanceFixture.UniqueCollectionName()));
    }

    [Fact]
    public async Task DeleteCollection_Existing_RemovesIt()
    {
        var name = await fixture.CreateCollectionAsync();

        await fixture.Client.DeleteCollectionAsync(name);

        Assert.False(await fixture.Client.CollectionExistsAsync(name));
        Assert.DoesNotContain(name, await fixture.Client.ListCollectionsAsync());
    }

    [Fact]
    public async Task DeleteCollection_Missing_AnswersOkWithResultFalse()
    {
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        var response = await grpc.Collections.DeleteAsync(new DeleteCollection { CollectionName = ConformanceFixture.UniqueCollectionName() });

        Assert.False(response.Result);
    }

    [Fact]
    public async Task GetCollectionInfo_Unnamed_ReportsGreenConfigAndCount()
    {
        var name = await fixture.CreateCollectionAsync(size: 3, distance: Distance.Euclid);
        await fixture.Client.UpsertAsync(name, [
            new PointStruct { Id = 1, Vectors = new[] { 1f, 2f, 3f } },
            new PointStruct { Id = 2, Vectors = new[] { 4f, 5f, 6f } },
        ]);

        var info = await fixture.Client.GetCollectionInfoAsync(name);

        Assert.Equal(CollectionStatus.Green, info.Status);
        Assert.True(info.OptimizerStatus.Ok);
        Assert.Equal(2ul, info.PointsCount);
        Assert.Equal(3ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Euclid, info.Config.Params.VectorsConfig.Params.Distance);
    }

    [Fact]
    public async Task GetCollectionInfo_NamedVectors_ReportsEachVector()
    {
        var name = ConformanceFixture.UniqueCollectionName();
        var map = new VectorParamsMap();
        map.Map.Add("text", new VectorParams { Size = 4, Distance = Distance.Cosine });
        map.Map.Add("image", new VectorParams { Size = 2, Distance = Distance.Manhattan });

        await fixture.Client.CreateCollectionAsync(name, map);
        var info = await fixture.Client.GetCollectionInfoAsync(name);

        var vectors = info.Config.Params.VectorsConfig.ParamsMap.Map;
        Assert.Equal(4ul, vectors["text"].Size);
        Assert.Equal(Distance.Manhattan, vectors["image"].Distance);
    }

    [Fact]
    public async Task UpdateCollection_OptimizerParameters_AreKept()
    {
        var name = await fixture.CreateCollectionAsync();

        await fixture.Client.UpdateCollectionAsync(name, optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 12345 });
        var info = await fixture.Client.GetCollectionInfoAsync(name);

        Assert.Equal(12345ul, info.Config.OptimizerConfig.IndexingThreshold);
    }

    [Fact]
    public async Task UpdateCollection_Missing_IsNotFound()
    {
        var name = ConformanceFixture.UniqueCollectionName();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!",
            () => fixture.Client.UpdateCollectionAsync(name, optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 1 }));
    }
}
