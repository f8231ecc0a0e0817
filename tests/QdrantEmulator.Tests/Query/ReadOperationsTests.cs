using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;
using static QdrantEmulator.Tests.Query.TestPoints;

namespace QdrantEmulator.Tests.Query;

public sealed class ReadOperationsTests
{
    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Search_RandomData_TopKEqualsFullSortWithIdTieBreak(Distance distance) => AssertTopKEqualsFullSort(distance, 500);

    [Fact]
    public void Search_LargeCollection_SlicedScanEqualsFullSort() => AssertTopKEqualsFullSort(Distance.Dot, 40_000);

    private static void AssertTopKEqualsFullSort(Distance distance, int count)
    {
        var random = new Random(7);
        // Coordinates from {-1, 0, 1} give many tied scores, so the id tie-break is exercised.
        var points = Enumerable.Range(0, count)
            .Select(i => Point((ulong)i, vector: [.. Enumerable.Range(0, 4).Select(_ => (float)random.Next(-1, 2))]))
            .ToList();
        var collection = Snapshot(distance, 4, points);
        float[] query = [1f, 0f, -1f, 1f];
        var prepared = Distances.PrepareForStorage(distance, query);
        var expected = collection.Points
            .Select(p => (p.Id, Score: Distances.Score(distance, prepared, p.Vectors[string.Empty])))
            .Order(Comparer<(PointKey Id, float Score)>.Create((a, b) =>
                Distances.CompareRank(Distances.HigherIsBetter(distance), a.Score, a.Id, b.Score, b.Id)))
            .Skip(5).Take(20)
            .Select(x => x.Id.ToPointId())
            .ToList();

        // The first search scans the points; later ones on the same snapshot scan a contiguous copy of the vectors.
        var first = ReadOperations.Search(collection, new SearchPoints { Vector = { query }, Limit = 20, Offset = 5 });
        var second = ReadOperations.Search(collection, new SearchPoints { Vector = { query }, Limit = 20, Offset = 5 });

        Assert.Equal(expected, first.Select(r => r.Id).ToList());
        Assert.Equal(expected, second.Select(r => r.Id).ToList());
        Assert.Equal(first.Select(r => r.Score), second.Select(r => r.Score));
    }

    [Fact]
    public void Search_LimitZero_ThrowsValidationText()
    {
        var collection = Snapshot(Distance.Dot, 2, [Point(1, vector: [1f, 0f])]);

        var error = Assert.Throws<RpcException>(() => ReadOperations.Search(collection, new SearchPoints { Vector = { 1f, 0f } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Validation error in body: [limit: value 0 invalid, must be 1 or larger]", error.Status.Detail);
    }

    [Fact]
    public void Search_WrongDimensionOrName_ThrowsQdrantTexts()
    {
        var collection = Snapshot(Distance.Dot, 2, [Point(1, vector: [1f, 0f])]);

        var dimension = Assert.Throws<RpcException>(() => ReadOperations.Search(collection, new SearchPoints { Vector = { 1f, 0f, 0f }, Limit = 1 }));
        var name = Assert.Throws<RpcException>(() => ReadOperations.Search(collection, new SearchPoints { Vector = { 1f, 0f }, Limit = 1, VectorName = "image" }));

        Assert.Equal("Wrong input: Vector dimension error: expected dim: 2, got 3", dimension.Status.Detail);
        Assert.Equal("Wrong input: Not existing vector name error: image", name.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, name.StatusCode);
    }

    [Fact]
    public void Query_NoQuery_IdOrderScoreOneAfterOffset()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(3, vector: [1f]), Point(1, vector: [1f]), Point(2, vector: [1f])]);

        var result = ReadOperations.Query(collection, new QueryPoints { Offset = 1, Limit = 5 });

        Assert.Equal(new ulong[] { 2, 3 }, result.Select(r => r.Id.Num));
        Assert.All(result, r => Assert.Equal(1f, r.Score));
    }

    [Fact]
    public void Query_NearestById_UsesStoredVectorAndSkipsThatPoint()
    {
        var collection = Snapshot(Distance.Dot, 2, [Point(1, vector: [1f, 0f]), Point(2, vector: [2f, 0f]), Point(3, vector: [0f, 1f])]);
        var query = new QueryPoints { Query = new Qdrant.Client.Grpc.Query { Nearest = new VectorInput { Id = new PointId { Num = 1 } } } };

        var result = ReadOperations.Query(collection, query);

        // Against (1, 0): point 2 scores 2, point 3 scores 0; point 1 itself is left out.
        Assert.Equal(new ulong[] { 2, 3 }, result.Select(r => r.Id.Num));
    }

    [Fact]
    public void Scroll_PagesThroughEverythingOnce()
    {
        var collection = Snapshot(Distance.Dot, 1, Enumerable.Range(0, 95).Select(i => Point((ulong)(i * 2), vector: [1f])));
        var seen = new List<ulong>();
        PointId? offset = null;
        for (var page = 0; page < 20; page++)
        {
            var (points, next) = ReadOperations.Scroll(collection, new ScrollPoints { Limit = 10, Offset = offset });
            seen.AddRange(points.Select(p => p.Id.Num));
            offset = next;
            if (next is null)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 95).Select(i => (ulong)(i * 2)), seen);
    }

    [Fact]
    public void Scroll_OffsetNotAnId_StartsAtNextId()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(10, vector: [1f]), Point(20, vector: [1f])]);

        var (points, next) = ReadOperations.Scroll(collection, new ScrollPoints { Offset = new PointId { Num = 11 } });

        Assert.Equal(20UL, Assert.Single(points).Id.Num);
        Assert.Null(next);
    }

    [Fact]
    public void Get_RequestOrderMissingOmittedDuplicatesCollapsed()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, vector: [1f]), Point(2, vector: [1f])]);
        var request = new GetPoints { Ids = { new PointId { Num = 2 }, new PointId { Num = 9 }, new PointId { Num = 1 }, new PointId { Num = 2 } } };

        var result = ReadOperations.Get(collection, request);

        Assert.Equal(new ulong[] { 2, 1 }, result.Select(r => r.Id.Num));
    }

    [Fact]
    public void Count_WithFilter_CountsMatches()
    {
        var points = Enumerable.Range(0, 10).Select(i => Point((ulong)i, Parse($$"""{"even": {{(i % 2 == 0 ? "true" : "false")}}}"""), [1f]));
        var collection = Snapshot(Distance.Dot, 1, points);

        Assert.Equal(5UL, ReadOperations.Count(collection, new CountPoints { Filter = Conditions.Match("even", true) }));
        Assert.Equal(10UL, ReadOperations.Count(collection, new CountPoints()));
    }

    [Fact]
    public void Get_PayloadIncludeExclude_SelectsPaths()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, Parse("""{"a": {"x": 1, "y": 2}, "b": 3, "c": 4}"""), [1f])]);
        var include = new GetPoints { Ids = { new PointId { Num = 1 } }, WithPayload = new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "a.x", "b" } } } };
        var exclude = new GetPoints { Ids = { new PointId { Num = 1 } }, WithPayload = new WithPayloadSelector { Exclude = new PayloadExcludeSelector { Fields = { "a.y", "c" } } } };

        var included = Assert.Single(ReadOperations.Get(collection, include)).Payload;
        var excluded = Assert.Single(ReadOperations.Get(collection, exclude)).Payload;

        Assert.Equal(["a", "b"], included.Keys.Order());
        Assert.Equal(["x"], included["a"].StructValue.Fields.Keys);
        Assert.Equal(["a", "b"], excluded.Keys.Order());
        Assert.Equal(["x"], excluded["a"].StructValue.Fields.Keys);
    }

    [Fact]
    public void Search_WithVectors_UnnamedVectorInVectorOutputAndOffWhenUnset()
    {
        var collection = Snapshot(Distance.Dot, 2, [Point(1, vector: [1f, 2f])]);

        var on = Assert.Single(ReadOperations.Search(collection, new SearchPoints { Vector = { 1f, 0f }, Limit = 1, WithVectors = new WithVectorsSelector { Enable = true } }));
        var off = Assert.Single(ReadOperations.Search(collection, new SearchPoints { Vector = { 1f, 0f }, Limit = 1 }));

        Assert.Equal([1f, 2f], on.Vectors.Vector.Dense.Data);
        Assert.Null(off.Vectors);
        Assert.Empty(off.Payload);
    }

    [Fact]
    public void Search_NamedVectors_UsesVectorNameAndReturnsNamedMap()
    {
        StoredPoint point = new()
        {
            Id = PointKey.FromNum(1),
            Payload = new Dictionary<string, Value>(),
            Version = 3,
            Vectors = new Dictionary<string, float[]> { ["text"] = [1f, 0f], ["image"] = [0f, 2f, 0f] },
        };
        var collection = new CollectionSnapshot
        {
            Name = "named",
            Vectors = new Dictionary<string, VectorParams>
            {
                ["text"] = new() { Size = 2, Distance = Distance.Dot },
                ["image"] = new() { Size = 3, Distance = Distance.Dot },
            },
            Points = [point],
            ById = new Dictionary<PointKey, StoredPoint> { [point.Id] = point },
        };
        var request = new SearchPoints
        {
            Vector = { 0f, 1f, 0f },
            VectorName = "image",
            Limit = 1,
            WithVectors = new WithVectorsSelector { Include = new VectorsSelector { Names = { "image" } } },
        };

        var hit = Assert.Single(ReadOperations.Search(collection, request));

        Assert.Equal(2f, hit.Score);
        Assert.Equal(3UL, hit.Version);
        Assert.Equal(["image"], hit.Vectors.Vectors.Vectors.Keys);
    }

    [Fact]
    public void Search_RepeatedOnSnapshotWithGaps_SkipsPointsWithoutTheVector()
    {
        var withVector = Point(1, vector: [1f, 0f]);
        var without = new StoredPoint { Id = PointKey.FromNum(2), Payload = new Dictionary<string, Value>(), Version = 1, Vectors = new Dictionary<string, float[]>() };
        var another = Point(3, vector: [0.5f, 0f]);
        var collection = Snapshot(Distance.Dot, 2, [withVector, without, another]);

        var results = Enumerable.Range(0, 3)
            .Select(_ => ReadOperations.Search(collection, new SearchPoints { Vector = { 2f, 0f }, Limit = 10 }))
            .ToList();

        // Against (2, 0): point 1 scores 2, point 3 scores 1; point 2 has no vector and is never a candidate.
        Assert.All(results, r => Assert.Equal(new ulong[] { 1, 3 }, r.Select(p => p.Id.Num)));
        Assert.All(results, r => Assert.Equal(new[] { 2f, 1f }, r.Select(p => p.Score)));
    }
}
