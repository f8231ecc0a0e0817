using Google.Protobuf.Reflection;
using Qdrant.Client.Grpc;
using QdrantPool.Resilience;

namespace QdrantPool.Tests.Resilience;

/// <summary>The method table the pooled QdrantClient retries by (README, "Method classification").</summary>
public class QdrantMethodsTests
{
    // Every method Qdrant.Client 1.20 knows that must NOT be repeated after a lost reply, with the reason.
    private static readonly HashSet<string> NotIdempotent =
    [
        "/qdrant.Collections/Create", // a second attempt answers AlreadyExists
        "/qdrant.Collections/Delete", // a second attempt answers false / NotFound
        "/qdrant.Collections/Update",
        "/qdrant.Collections/UpdateAliases", // alias changes
        "/qdrant.Collections/UpdateCollectionClusterSetup",
        "/qdrant.Collections/CreateShardKey",
        "/qdrant.Collections/DeleteShardKey",
        "/qdrant.Points/CreateFieldIndex",
        "/qdrant.Points/DeleteFieldIndex",
        "/qdrant.Points/CreateVectorName",
        "/qdrant.Points/DeleteVectorName",
        "/qdrant.Snapshots/Create", // a second snapshot
        "/qdrant.Snapshots/Delete",
        "/qdrant.Snapshots/CreateFull",
        "/qdrant.Snapshots/DeleteFull",
    ];

    public static TheoryData<string> AllMethods()
    {
        var data = new TheoryData<string>();
        foreach (var method in Services().SelectMany(s => s.Methods))
        {
            data.Add($"/{method.Service.FullName}/{method.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void IsIdempotent_EveryQdrantMethod_ClassifiedOnPurpose(string method)
    {
        if (method.StartsWith("/qdrant.StorageRead/", StringComparison.Ordinal))
        {
            // Not a Qdrant server service: Qdrant.Client's storage-reading helper. Unknown, so not retried.
            Assert.False(QdrantMethods.IsIdempotent(method));
            return;
        }

        Assert.Equal(!NotIdempotent.Contains(method), QdrantMethods.IsIdempotent(method));
    }

    [Fact]
    public void IsIdempotent_UnknownMethod_NotIdempotent()
    {
        Assert.False(QdrantMethods.IsIdempotent("/qdrant.Points/SomethingNew"));
    }

    [Theory]
    [InlineData("/qdrant.Points/Search", "Search")]
    [InlineData("/qdrant.Collections/Get", "Get")]
    [InlineData("NoSlash", "NoSlash")]
    public void OperationName_FullMethodName_ShortName(string full, string expected)
    {
        Assert.Equal(expected, QdrantMethods.OperationName(full));
    }

    [Fact]
    public void QdrantServices_NoClientOrDuplexStreamingMethod_SoThePooledInvokerNeedsNone()
    {
        var streaming = Services().SelectMany(s => s.Methods).Where(m => m.IsClientStreaming).Select(m => m.FullName);

        Assert.Empty(streaming);
    }

    private static IEnumerable<ServiceDescriptor> Services() =>
        new[]
        {
            CollectionsServiceReflection.Descriptor,
            PointsServiceReflection.Descriptor,
            SnapshotsServiceReflection.Descriptor,
            QdrantReflection.Descriptor,
            StorageReadServiceReflection.Descriptor,
        }.SelectMany(f => f.Services);
}
