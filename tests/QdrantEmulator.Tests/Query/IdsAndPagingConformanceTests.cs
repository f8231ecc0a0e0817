using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Query;

/// <summary>Point ids, Get semantics and scrolling, through the official client.</summary>
[Collection("conformance")]
public sealed class IdsAndPagingConformanceTests(ConformanceFixture fixture)
{
    private static PointStruct Point(PointId id) => new() { Id = id, Vectors = new float[] { 1, 0 } };

    [Fact]
    public async Task Scroll_IntsAndUuids_IntsFirstThenUuidsByBytesLowerCase()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "ids");
        await fixture.Client.UpsertAsync(name, [
            Point(new PointId { Uuid = "FF000001-0000-0000-0000-000000000000" }),
            Point(5UL),
            Point(new PointId { Uuid = "01ffffff-0000-0000-0000-000000000000" }),
            Point(2UL),
        ]);

        var response = await fixture.Client.ScrollAsync(name, limit: 10);

        Assert.Equal(
            ["2", "5", "01ffffff-0000-0000-0000-000000000000", "ff000001-0000-0000-0000-000000000000"],
            response.Result.Select(p => p.Id.HasNum ? p.Id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture) : p.Id.Uuid));
        Assert.Null(response.NextPageOffset);
    }

    [Fact]
    public async Task Retrieve_RequestOrderMissingOmittedDuplicatesOnce()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "ids");
        var uuid = Guid.Parse("3b2a1f00-0000-4000-8000-00000000000a");
        await fixture.Client.UpsertAsync(name, [Point(1UL), Point(2UL), Point(uuid)]);

        var result = await fixture.Client.RetrieveAsync(name, [new PointId { Num = 2 }, new PointId { Num = 404 }, uuid, new PointId { Num = 1 }, new PointId { Num = 2 }]);

        Assert.Equal(["2", uuid.ToString(), "1"], result.Select(p => p.Id.HasNum ? p.Id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture) : p.Id.Uuid));
    }

    [Fact]
    public async Task Scroll_ThousandPointsInPages_NothingMissedOrRepeated()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "scroll");
        var ids = Enumerable.Range(0, 1000).Select(i => (ulong)(i * 3 + 1)).ToList();
        foreach (var chunk in ids.Chunk(250))
        {
            await fixture.Client.UpsertAsync(name, [.. chunk.Select(id => Point(id))]);
        }

        var seen = new List<ulong>();
        PointId? offset = null;
        // 1000 points at 37 a page need 28 pages; the bound only stops a broken server from looping forever.
        for (var page = 0; page < 100; page++)
        {
            var response = await fixture.Client.ScrollAsync(name, limit: 37, offset: offset);
            seen.AddRange(response.Result.Select(p => p.Id.Num));
            offset = response.NextPageOffset;
            if (offset is null)
            {
                break;
            }
        }

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task Scroll_OffsetBetweenIds_StartsAtNextIdAndSetsNextPage()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "scroll");
        await fixture.Client.UpsertAsync(name, [Point(10UL), Point(20UL), Point(30UL)]);

        var response = await fixture.Client.ScrollAsync(name, limit: 1, offset: 11UL);

        Assert.Equal(20UL, Assert.Single(response.Result).Id.Num);
        Assert.Equal(30UL, response.NextPageOffset.Num);
    }

    [Fact]
    public async Task CountAndScroll_DuringConcurrentUpserts_SeeConsistentGrowingState()
    {
        var name = await fixture.CreateCollectionAsync(size: 2, distance: Distance.Dot, prefix: "concurrent");
        var writer = Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await fixture.Client.UpsertAsync(name, [.. Enumerable.Range(batch * 25, 25).Select(i => Point((ulong)i))]);
            }
        });

        ulong last = 0;
        // Read while the writer runs (bounded): counts never go back, and every page is in id order.
        for (var round = 0; round < 200 && !writer.IsCompleted; round++)
        {
            var count = await fixture.Client.CountAsync(name);
            var page = await fixture.Client.ScrollAsync(name, limit: 1000);
            var ids = page.Result.Select(p => p.Id.Num).ToList();
            Assert.True(count >= last, $"count went from {last} to {count}");
            Assert.Equal(ids.Order(), ids);
            last = count;
        }

        await writer;
        Assert.Equal(500UL, await fixture.Client.CountAsync(name));
    }
}
