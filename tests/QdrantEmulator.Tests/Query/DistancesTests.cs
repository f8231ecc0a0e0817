using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Tests.Query;

public sealed class DistancesTests
{
    [Fact]
    public void PrepareForStorage_Cosine_NormalisesToUnitLength()
    {
        // |(3, 4)| = 5, so the stored vector is (0.6, 0.8).
        var stored = Distances.PrepareForStorage(Distance.Cosine, [3f, 4f]);

        Assert.Equal(0.6f, stored[0], 6);
        Assert.Equal(0.8f, stored[1], 6);
    }

    [Fact]
    public void PrepareForStorage_CosineZeroOrUnit_ReturnsSameArray()
    {
        float[] zero = [0f, 0f];
        float[] unit = [0.6f, 0.8f];

        Assert.Same(zero, Distances.PrepareForStorage(Distance.Cosine, zero));
        Assert.Same(unit, Distances.PrepareForStorage(Distance.Cosine, unit));
    }

    [Theory]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void PrepareForStorage_OtherDistances_LeavesVectorAlone(Distance distance)
    {
        float[] vector = [3f, 4f];

        Assert.Same(vector, Distances.PrepareForStorage(distance, vector));
    }

    [Fact]
    public void Score_EachDistance_MatchesHandArithmetic()
    {
        float[] a = [1f, 2f, 3f];
        float[] b = [4f, -5f, 6f];

        // Dot: 1*4 + 2*(-5) + 3*6 = 4 - 10 + 18 = 12.
        Assert.Equal(12f, Distances.Score(Distance.Dot, a, b), 5);
        // Euclid: sqrt(3^2 + 7^2 + 3^2) = sqrt(67) = 8.18535...
        Assert.Equal(MathF.Sqrt(67f), Distances.Score(Distance.Euclid, a, b), 5);
        // Manhattan: |1-4| + |2+5| + |3-6| = 3 + 7 + 3 = 13.
        Assert.Equal(13f, Distances.Score(Distance.Manhattan, a, b), 5);
    }

    [Fact]
    public void Score_ManhattanLongVector_UsesHeapBufferCorrectly()
    {
        var a = Enumerable.Repeat(1f, 3000).ToArray();
        var b = Enumerable.Repeat(-1f, 3000).ToArray();

        // Each coordinate differs by 2: 3000 * 2 = 6000.
        Assert.Equal(6000f, Distances.Score(Distance.Manhattan, a, b), 1);
    }

    [Theory]
    [InlineData(Distance.Cosine, 0.5f, 0.5f, false)]
    [InlineData(Distance.Cosine, 0.6f, 0.5f, true)]
    [InlineData(Distance.Dot, 0.4f, 0.5f, false)]
    [InlineData(Distance.Euclid, 0.5f, 0.5f, false)]
    [InlineData(Distance.Euclid, 0.4f, 0.5f, true)]
    [InlineData(Distance.Manhattan, 0.6f, 0.5f, false)]
    public void PassesThreshold_AtOrBeyond_StrictInDistanceDirection(Distance distance, float score, float threshold, bool expected)
    {
        Assert.Equal(expected, Distances.PassesThreshold(distance, score, threshold));
    }

    [Fact]
    public void CompareRank_TiedScores_LowerIdFirst()
    {
        Assert.True(Distances.CompareRank(true, 1f, PointKey.FromNum(2), 1f, PointKey.FromNum(5)) < 0);
        Assert.True(Distances.CompareRank(false, 1f, PointKey.FromNum(2), 0.5f, PointKey.FromNum(5)) > 0);
    }
}
