using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Query;

/// <summary>Scores and order per distance against hand-computed values, through the official client.</summary>
[Collection("conformance")]
public sealed class ScoringConformanceTests(ConformanceFixture fixture)
{
    private async Task<string> CreateWithPointsAsync(Distance distance, params (ulong Id, float[] Vector)[] points)
    {
        var name = await fixture.CreateCollectionAsync(size: 3, distance: distance, prefix: "scoring");
        await fixture.Client.UpsertAsync(name, [.. points.Select(p => new PointStruct { Id = p.Id, Vectors = p.Vector })]);
        return name;
    }

    private static void AssertRanking(IReadOnlyList<ScoredPoint> result, params (ulong Id, float Score)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Id), result.Select(r => r.Id.Num));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Score, result[i].Score, 5);
        }
    }

    [Fact]
    public async Task Query_Cosine_ScoresAreDotOfNormalisedVectorsDescending()
    {
        var name = await CreateWithPointsAsync(Distance.Cosine, (1, [1, 0, 0]), (2, [1, 1, 0]), (3, [0, 1, 1]), (4, [-1, 0, 0]));

        var result = await fixture.Client.QueryAsync(name, new float[] { 2, 2, 0 });

        // The query (2,2,0) normalises to (1/√2, 1/√2, 0).
        // p2 (1,1,0) → (1/√2, 1/√2, 0): 1/2 + 1/2 = 1.
        // p1 (1,0,0): 1/√2 ≈ 0.7071068.
        // p3 (0,1,1) → (0, 1/√2, 1/√2): 1/2 = 0.5.
        // p4 (-1,0,0): -1/√2 ≈ -0.7071068.
        AssertRanking(result, (2, 1f), (1, 0.70710677f), (3, 0.5f), (4, -0.70710677f));
    }

    [Fact]
    public async Task Query_Dot_ScoresAreRawDotProductDescending()
    {
        var name = await CreateWithPointsAsync(Distance.Dot, (1, [1, 0, 0]), (2, [2, 1, 0]), (3, [0, 3, 1]), (4, [-1, -1, -1]));

        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 2, 3 });

        // Against (1,2,3): p1 = 1; p2 = 2+2 = 4; p3 = 6+3 = 9; p4 = -1-2-3 = -6.
        AssertRanking(result, (3, 9f), (2, 4f), (1, 1f), (4, -6f));
    }

    [Fact]
    public async Task Query_Euclid_ScoresAreL2DistanceAscending()
    {
        var name = await CreateWithPointsAsync(Distance.Euclid, (1, [1, 1, 1]), (2, [1, 1, 2]), (3, [3, 1, 1]), (4, [0, 0, 0]));

        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 1, 1 });

        // From (1,1,1): p1 = 0; p2 = √1 = 1; p4 = √(1+1+1) = √3 ≈ 1.7320508; p3 = √4 = 2.
        AssertRanking(result, (1, 0f), (2, 1f), (4, 1.7320508f), (3, 2f));
    }

    [Fact]
    public async Task Query_Manhattan_ScoresAreL1DistanceAscending()
    {
        var name = await CreateWithPointsAsync(Distance.Manhattan, (1, [1, 1, 1]), (2, [2, 1, 1]), (3, [0, 0, 0]), (4, [1, 3, 1]));

        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 1, 1 });

        // From (1,1,1): p1 = 0; p2 = |2-1| = 1; p4 = |3-1| = 2; p3 = 1+1+1 = 3.
        AssertRanking(result, (1, 0f), (2, 1f), (4, 2f), (3, 3f));
    }

    [Fact]
    public async Task Search_Dot_SameRankingAsQuery()
    {
        var name = await CreateWithPointsAsync(Distance.Dot, (1, [1, 0, 0]), (2, [2, 1, 0]), (3, [0, 3, 1]));

#pragma warning disable CS0618 // SearchAsync is obsolete in the client, but the Search RPC is still served.
        var result = await fixture.Client.SearchAsync(name, new float[] { 1, 2, 3 }, limit: 10);
#pragma warning restore CS0618

        // Against (1,2,3): p3 = 9, p2 = 4, p1 = 1.
        AssertRanking(result, (3, 9f), (2, 4f), (1, 1f));
    }

    [Fact]
    public async Task Query_ScoreThresholdDot_KeepsOnlyStrictlyGreater()
    {
        var name = await CreateWithPointsAsync(Distance.Dot, (1, [1, 0, 0]), (2, [2, 1, 0]), (3, [0, 3, 1]));

        // Scores 1, 4, 9: the threshold 4 keeps 9 and drops the equal 4.
        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 2, 3 }, scoreThreshold: 4f);

        AssertRanking(result, (3, 9f));
    }

    [Fact]
    public async Task Query_ScoreThresholdCosine_KeepsOnlyHigher()
    {
        var name = await CreateWithPointsAsync(Distance.Cosine, (1, [1, 0, 0]), (2, [1, 1, 0]), (3, [0, 1, 1]));

        // Scores 1, 0.7071, 0.5 (see the Cosine test): 0.6 keeps the first two.
        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 1, 0 }, scoreThreshold: 0.6f);

        AssertRanking(result, (2, 1f), (1, 0.70710677f));
    }

    [Fact]
    public async Task Query_ScoreThresholdCosine_DropsAnEqualScore()
    {
        var name = await CreateWithPointsAsync(Distance.Cosine, (1, [1, 0, 0]), (2, [0, 1, 0]), (3, [-1, 0, 0]));

        // Against (1,0,0) the scores are exactly 1, 0 and -1: the threshold 0 keeps 1 and drops the equal 0.
        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 0, 0 }, scoreThreshold: 0f);

        AssertRanking(result, (1, 1f));
    }

    [Fact]
    public async Task Query_ScoreThresholdEuclid_KeepsOnlyStrictlyCloser()
    {
        var name = await CreateWithPointsAsync(Distance.Euclid, (1, [1, 1, 1]), (2, [1, 1, 2]), (3, [3, 1, 1]));

        // Distances 0, 1, 2: the threshold 1 keeps 0 and drops the equal 1.
        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 1, 1 }, scoreThreshold: 1f);

        AssertRanking(result, (1, 0f));
    }

    [Fact]
    public async Task Query_ScoreThresholdManhattan_KeepsOnlyStrictlyCloser()
    {
        var name = await CreateWithPointsAsync(Distance.Manhattan, (1, [1, 1, 1]), (2, [2, 1, 1]), (3, [0, 0, 0]), (4, [1, 3, 1]));

        // Distances 0, 1, 2, 3: the threshold 2 keeps 0 and 1 and drops the equal 2.
        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 1, 1 }, scoreThreshold: 2f);

        AssertRanking(result, (1, 0f), (2, 1f));
    }

    [Fact]
    public async Task Query_OffsetAndLimit_SkipThenTake()
    {
        var points = Enumerable.Range(1, 6).Select(i => ((ulong)i, new float[] { i, 0, 0 })).ToArray();
        var name = await CreateWithPointsAsync(Distance.Dot, points);

        var result = await fixture.Client.QueryAsync(name, new float[] { 1, 0, 0 }, offset: 2, limit: 3);

        // Scores equal the ids (i * 1): ranked 6,5,4,3,2,1; skip 2, take 3.
        AssertRanking(result, (4, 4f), (3, 3f), (2, 2f));
    }

    [Fact]
    public async Task Query_NoQuery_ReturnsIdOrderWithScoreOne()
    {
        var name = await CreateWithPointsAsync(Distance.Dot, (30, [1, 0, 0]), (10, [0, 1, 0]), (20, [0, 0, 1]));

        var result = await fixture.Client.QueryAsync(name, limit: 2, offset: 1);

        Assert.Equal(new ulong[] { 20, 30 }, result.Select(r => r.Id.Num));
        Assert.All(result, r => Assert.Equal(1f, r.Score));
    }

    [Fact]
    public async Task SearchBatchAndQueryBatch_EachEntryAnsweredInOrder()
    {
        var name = await CreateWithPointsAsync(Distance.Dot, (1, [1, 0, 0]), (2, [0, 1, 0]), (3, [0, 0, 1]));

#pragma warning disable CS0618 // SearchBatchAsync is obsolete in the client, but the SearchBatch RPC is still served.
        var searches = await fixture.Client.SearchBatchAsync(name, [
            new SearchPoints { CollectionName = name, Vector = { 0, 1, 0 }, Limit = 1 },
            new SearchPoints { CollectionName = name, Vector = { 0, 0, 1 }, Limit = 1 },
        ]);
#pragma warning restore CS0618
        var queries = await fixture.Client.QueryBatchAsync(name, [
            new QueryPoints { CollectionName = name, Query = new float[] { 1, 0, 0 }, Limit = 1 },
            new QueryPoints { CollectionName = name, Limit = 2 },
        ]);

        Assert.Equal(new ulong[] { 2, 3 }, searches.Select(b => Assert.Single(b.Result).Id.Num));
        Assert.Equal(1UL, Assert.Single(queries[0].Result).Id.Num);
        Assert.Equal(new ulong[] { 1, 2 }, queries[1].Result.Select(p => p.Id.Num));
    }
}
