using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;
using static QdrantEmulator.Tests.Query.TestPoints;

namespace QdrantEmulator.Tests.Query;

public sealed class ReadOperationsBatchTests
{
    [Fact]
    public void SearchBatch_InvalidEntry_ValidationPathNamesTheEntry()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, vector: [1f])]);
        var request = new SearchBatchPoints
        {
            SearchPoints =
            {
                new SearchPoints { CollectionName = "test", Vector = { 1f }, Limit = 1 },
                new SearchPoints { CollectionName = "test", Vector = { 1f }, Limit = 0 },
            },
        };

        var error = Assert.Throws<RpcException>(() => ReadOperations.SearchBatch(collection, request));

        Assert.Equal("Validation error in body: [search_points[1].limit: value 0 invalid, must be 1 or larger]", error.Status.Detail);
    }

    [Fact]
    public void SearchBatch_EntryWithoutCollectionName_ValidationNamesTheEntry()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, vector: [1f])]);
        var request = new SearchBatchPoints
        {
            CollectionName = "test",
            SearchPoints = { new SearchPoints { CollectionName = "test", Vector = { 1f }, Limit = 1 }, new SearchPoints { Vector = { 1f }, Limit = 1 } },
        };

        var error = Assert.Throws<RpcException>(() => ReadOperations.SearchBatch(collection, request));

        Assert.Equal(
            "Validation error in body: [search_points[1].collection_name: value \"\" invalid, must be from 1 to 255 characters]",
            error.Status.Detail);
    }

    [Fact]
    public void QueryBatch_Entries_AnsweredInOrder()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, vector: [1f]), Point(2, vector: [2f])]);
        var request = new QueryBatchPoints
        {
            QueryPoints =
            {
                new QueryPoints { CollectionName = "test", Query = new float[] { 1f }, Limit = 1 },
                new QueryPoints { CollectionName = "test", Query = new float[] { -1f }, Limit = 1 },
            },
        };

        var result = ReadOperations.QueryBatch(collection, request);

        // Against 1 the best is point 2 (score 2); against -1 it is point 1 (score -1 beats -2).
        Assert.Equal(new ulong[] { 2, 1 }, result.Select(b => Assert.Single(b.Result).Id.Num));
    }

    [Fact]
    public void Search_HugeOffsetAndLimit_DoesNotOverflow()
    {
        var collection = Snapshot(Distance.Dot, 1, [Point(1, vector: [1f])]);

        var result = ReadOperations.Search(collection, new SearchPoints { Vector = { 1f }, Limit = ulong.MaxValue, Offset = ulong.MaxValue });

        Assert.Empty(result);
    }
}
