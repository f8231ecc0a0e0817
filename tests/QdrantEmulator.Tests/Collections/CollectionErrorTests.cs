using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Collections;

/// <summary>The collection error cases of reference §4, asserting status code and exact text.</summary>
[Collection("conformance")]
public sealed class CollectionErrorTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task CreateCollection_Existing_IsAlreadyExists()
    {
        var name = await fixture.CreateCollectionAsync();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.AlreadyExists, $"Wrong input: Collection `{name}` already exists!",
            () => fixture.Client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine }));
    }

    [Fact]
    public async Task GetCollectionInfo_Missing_IsNotFound()
    {
        var name = ConformanceFixture.UniqueCollectionName();

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!",
            () => fixture.Client.GetCollectionInfoAsync(name));
    }

    [Fact]
    public async Task Reads_MissingCollection_AreNotFound()
    {
        var name = ConformanceFixture.UniqueCollectionName();
        var expected = $"Not found: Collection `{name}` doesn't exist!";

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.QueryAsync(name, new[] { 1f, 2f }));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.CountAsync(name));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.ScrollAsync(name));
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.NotFound, expected, () => fixture.Client.RetrieveAsync(name, 1ul));
    }

    [Fact]
    public async Task Scroll_MalformedToMissingCollection_ReportsValidationFirst()
    {
        // Qdrant validates the request before it looks the collection up.
        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Validation error in body: [limit: value 0 invalid, must be 1 or larger]",
            async () => await grpc.Points.ScrollAsync(new ScrollPoints { CollectionName = ConformanceFixture.UniqueCollectionName(), Limit = 0 }));
    }

    [Theory]
    [InlineData('/')]
    [InlineData('*')]
    [InlineData(':')]
    [InlineData('?')]
    public async Task CreateCollection_NameWithForbiddenChar_IsValidationError(char forbidden)
    {
        var name = $"bad{forbidden}name";

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument,
            $"Validation error in body: [collection_name: collection name cannot contain \"{forbidden}\" char]",
            () => fixture.Client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine }));
    }

    [Fact]
    public async Task CreateCollection_NameTooLong_IsValidationError()
    {
        var name = new string('n', 256);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument,
            $"Validation error in body: [collection_name: value \"{name}\" invalid, must be from 1 to 255 characters]",
            () => fixture.Client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine }));
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(65537ul)]
    public async Task CreateCollection_SizeOutOfRange_IsValidationError(ulong size)
    {
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument,
            $"Validation error in body: [vectors_config.config.size: value {size} invalid, must be from 1 to 65536]",
            () => fixture.Client.CreateCollectionAsync(ConformanceFixture.UniqueCollectionName(), new VectorParams { Size = size, Distance = Distance.Cosine }));
    }

    [Fact]
    public async Task CreateCollection_MaximumSize_IsAccepted()
    {
        var name = ConformanceFixture.UniqueCollectionName();

        await fixture.Client.CreateCollectionAsync(name, new VectorParams { Size = 65536, Distance = Distance.Dot });

        Assert.Equal(65536ul, (await fixture.Client.GetCollectionInfoAsync(name)).Config.Params.VectorsConfig.Params.Size);
    }

    [Fact]
    public async Task CreateCollection_UnknownDistance_IsInvalidArgument()
    {
        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.InvalidArgument, "Malformed distance parameter: UnknownDistance",
            () => fixture.Client.CreateCollectionAsync(ConformanceFixture.UniqueCollectionName(), new VectorParams { Size = 4, Distance = Distance.UnknownDistance }));
    }

    [Fact]
    public async Task DeleteCollection_MissingThroughHighLevelClient_ClientThrows()
    {
        // Qdrant answers OK with result=false; the official client turns that into its own exception.
        var name = ConformanceFixture.UniqueCollectionName();

        var error = await Assert.ThrowsAsync<Qdrant.Client.QdrantException>(() => fixture.Client.DeleteCollectionAsync(name));

        Assert.Contains(name, error.Message);
    }
}
