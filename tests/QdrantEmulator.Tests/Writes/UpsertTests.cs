using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Writes;

[Collection("conformance")]
public sealed class UpsertTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task Upsert_NewPoints_AreCountedAndRetrieved()
    {
        var name = await fixture.CreateCollectionAsync(distance: Distance.Dot);

        var result = await fixture.Client.UpsertAsync(name, [
            new PointStruct { Id = 1, Vectors = new[] { 1f, 2f, 3f, 4f }, Payload = { ["city"] = "Oslo" } },
            new PointStruct { Id = 2, Vectors = new[] { 5f, 6f, 7f, 8f } },
        ]);

        Assert.Equal(UpdateStatus.Completed, result.Status);
        Assert.Equal(2ul, await fixture.Client.CountAsync(name));
        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1ul, withPayload: true, withVectors: true));
        Assert.Equal("Oslo", point.Payload["city"].StringValue);
        Assert.Equal([1f, 2f, 3f, 4f], point.Vectors.Vector.Dense.Data);
    }

    [Fact]
    public async Task Upsert_ExistingId_ReplacesWholePoint()
    {
        var name = await fixture.CreateCollectionAsync(distance: Distance.Dot);
        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 7, Vectors = new[] { 1f, 1f, 1f, 1f }, Payload = { ["a"] = 1, ["b"] = 2 } }]);

        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 7, Vectors = new[] { 2f, 2f, 2f, 2f }, Payload = { ["c"] = 3 } }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 7ul, withPayload: true, withVectors: true));
        Assert.Equal(["c"], point.Payload.Keys);
        Assert.Equal([2f, 2f, 2f, 2f], point.Vectors.Vector.Dense.Data);
        Assert.Equal(1ul, await fixture.Client.CountAsync(name));
    }

    [Fact]
    public async Task Upsert_Cosine_StoresNormalisedVector()
    {
        var name = await fixture.CreateCollectionAsync(distance: Distance.Cosine);

        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 3f, 0f, 4f, 0f } }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1ul, withVectors: true));
        var stored = point.Vectors.Vector.Dense.Data;
        Assert.Equal(0.6f, stored[0], 5);
        Assert.Equal(0.8f, stored[2], 5);
    }

    [Fact]
    public async Task Upsert_UuidId_IsReturnedLowerCaseHyphenated()
    {
        var name = await fixture.CreateCollectionAsync();
        var id = Guid.NewGuid();

        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = new PointId { Uuid = id.ToString("N").ToUpperInvariant() }, Vectors = new[] { 1f, 0f, 0f, 0f } }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, id));
        Assert.Equal(id.ToString("D"), point.Id.Uuid);
    }

    [Fact]
    public async Task Upsert_WaitAbsent_IsAcknowledgedAndStillVisible()
    {
        var name = await fixture.CreateCollectionAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        var response = await grpc.Points.UpsertAsync(new UpsertPoints
        {
            CollectionName = name,
            Points = { new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } } },
        });

        Assert.Equal(UpdateStatus.Acknowledged, response.Result.Status);
        Assert.True(await fixture.Client.CountAsync(name) <= 1ul);
    }

    [Fact]
    public async Task Upsert_Sequential_OperationIdsIncrease()
    {
        var name = await fixture.CreateCollectionAsync();

        var first = await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } }]);
        var second = await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 2, Vectors = new[] { 0f, 1f, 0f, 0f } }]);

        Assert.True(second.OperationId > first.OperationId, $"{second.OperationId} should follow {first.OperationId}");
    }

    [Fact]
    public async Task Upsert_DeprecatedDataField_IsAccepted()
    {
        var name = await fixture.CreateCollectionAsync(distance: Distance.Euclid);
        var vector = new Vector();
#pragma warning disable CS0612 // The deprecated field is what this test is about.
        vector.Data.AddRange([1f, 2f, 3f, 4f]);
#pragma warning restore CS0612

        await fixture.Client.UpsertAsync(name, [new PointStruct { Id = 3, Vectors = new Vectors { Vector = vector } }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 3ul, withVectors: true));
        Assert.Equal([1f, 2f, 3f, 4f], point.Vectors.Vector.Dense.Data);
    }

    [Fact]
    public async Task Upsert_NamedVectors_AreStoredByName()
    {
        var name = await CreateNamedCollectionAsync();

        await fixture.Client.UpsertAsync(name, [new PointStruct
        {
            Id = 1,
            Vectors = new Dictionary<string, float[]> { ["text"] = [1f, 0f, 0f, 0f], ["image"] = [3f, 4f] },
        }]);

        var point = Assert.Single(await fixture.Client.RetrieveAsync(name, 1ul, withVectors: true));
        Assert.Equal([3f, 4f], point.Vectors.Vectors.Vectors["image"].Dense.Data);
        Assert.Equal(1f, point.Vectors.Vectors.Vectors["text"].Dense.Data[0], 5);
    }

    [Fact]
    public async Task Upsert_WrongDimension_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 4, got 3",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 2f, 3f } }]));
        Assert.Equal(0ul, await fixture.Client.CountAsync(name));
    }

    [Fact]
    public async Task Upsert_WrongDimensionNamedVector_NamesTheVector()
    {
        var name = await CreateNamedCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 2, got 3 for vector 'image'",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new Dictionary<string, float[]> { ["image"] = [1f, 2f, 3f] } }]));
    }

    [Fact]
    public async Task Upsert_WrongDimensionWithoutWait_IsStillRejected()
    {
        var name = await fixture.CreateCollectionAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 4, got 2",
            async () => await grpc.Points.UpsertAsync(new UpsertPoints
            {
                CollectionName = name,
                Wait = false,
                Points = { new PointStruct { Id = 1, Vectors = new[] { 1f, 2f } } },
            }));
    }

    [Fact]
    public async Task Upsert_UnknownVectorName_IsInvalidArgument()
    {
        var name = await CreateNamedCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Wrong input: Not existing vector name error: audio",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new Dictionary<string, float[]> { ["audio"] = [1f] } }]));
    }

    [Fact]
    public async Task Upsert_PointWithoutId_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Empty ID is not allowed",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Vectors = new[] { 1f, 0f, 0f, 0f } }]));
    }

    [Fact]
    public async Task Upsert_PointWithoutVectors_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Expected some vectors",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1 }]));
    }

    [Fact]
    public async Task Upsert_BadUuid_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Unable to parse UUID: not-a-uuid",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = new PointId { Uuid = "not-a-uuid" }, Vectors = new[] { 1f, 0f, 0f, 0f } }]));
    }

    [Fact]
    public async Task Upsert_IdWithoutVariant_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "No ID options provided",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = new PointId(), Vectors = new[] { 1f, 0f, 0f, 0f } }]));
    }

    [Fact]
    public async Task Upsert_Response_ReportsElapsedTime()
    {
        var name = await fixture.CreateCollectionAsync();
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        var response = await grpc.Points.UpsertAsync(new UpsertPoints
        {
            CollectionName = name,
            Wait = true,
            Points = { new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } } },
        });

        Assert.InRange(response.Time, double.Epsilon, 60);
        Assert.Equal(UpdateStatus.Completed, response.Result.Status);
    }

    [Fact]
    public async Task Upsert_NaNPayload_IsInvalidArgument()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "cannot convert to json number",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f }, Payload = { ["x"] = double.NaN } }]));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public async Task Upsert_NonFiniteVectorComponent_IsRejectedByTheEmulator(float bad)
    {
        if (!fixture.IsEmulator)
        {
            return; // Qdrant itself stores such vectors (qdrant/qdrant#9201); the emulator refuses them on purpose.
        }

        var name = await fixture.CreateCollectionAsync(distance: Distance.Dot);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument,
            "Wrong input: Vector value error: component at index 2 of vector '' is not representable as a finite float32 value",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, bad, 0f } }]));
        Assert.Equal(0ul, await fixture.Client.CountAsync(name));
    }

    [Fact]
    public async Task Upsert_MissingCollection_IsNotFound()
    {
        var name = ConformanceFixture.UniqueCollectionName();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!",
            () => fixture.Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f } }]));
    }

    [Fact]
    public async Task Upsert_LargeBatch_ExceedsGrpcDefaultMessageSize()
    {
        // 1,000 points of 1,536 floats is ~6 MiB: over ASP.NET Core's 4 MiB default, which Qdrant does not have.
        var name = await fixture.CreateCollectionAsync(size: 1536, distance: Distance.Dot);
        var points = Enumerable.Range(0, 1000)
            .Select(i => new PointStruct { Id = (ulong)i, Vectors = Enumerable.Repeat((float)i, 1536).ToArray() })
            .ToList();

        await fixture.Client.UpsertAsync(name, points);

        Assert.Equal(1000ul, await fixture.Client.CountAsync(name));
    }

    private async Task<string> CreateNamedCollectionAsync()
    {
        var name = ConformanceFixture.UniqueCollectionName();
        var map = new VectorParamsMap();
        map.Map.Add("text", new VectorParams { Size = 4, Distance = Distance.Cosine });
        map.Map.Add("image", new VectorParams { Size = 2, Distance = Distance.Euclid });
        await fixture.Client.CreateCollectionAsync(name, map);
        return name;
    }
}
