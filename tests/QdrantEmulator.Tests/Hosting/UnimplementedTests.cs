using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Hosting;

/// <summary>Methods the emulator does not serve answer as tonic does: UNIMPLEMENTED with an empty detail.</summary>
[Collection("conformance")]
public sealed class UnimplementedTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task SnapshotsCreate_Unserved_IsUnimplementedWithEmptyDetail()
    {
        if (!fixture.IsEmulator)
        {
            return; // Real Qdrant serves snapshots.
        }

        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unimplemented, string.Empty,
            async () => await grpc.Snapshots.CreateAsync(new CreateSnapshotRequest { CollectionName = "x" }));
    }

    [Fact]
    public async Task Facet_Unserved_IsUnimplementedWithEmptyDetail()
    {
        if (!fixture.IsEmulator)
        {
            return; // Real Qdrant serves facets.
        }

        var grpc = fixture.CreateGrpcClient(fixture.KeyHeaders);

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unimplemented, string.Empty,
            async () => await grpc.Points.FacetAsync(new FacetCounts { CollectionName = "x", Key = "k" }));
    }

    [Theory]
    [InlineData("qdrant.NoSuchService", "Call")]
    [InlineData("qdrant.Points", "NoSuchMethod")]
    public async Task UnknownServiceOrMethod_WithKey_IsUnimplementedWithEmptyDetail(string service, string methodName)
    {
        // ASP.NET Core would say "Service is unimplemented." or "Method is unimplemented."; tonic says nothing.
        var method = new Method<HealthCheckRequest, HealthCheckReply>(
            MethodType.Unary, service, methodName,
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), HealthCheckRequest.Parser.ParseFrom),
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), HealthCheckReply.Parser.ParseFrom));
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(fixture.GrpcEndpoint);
        var headers = new Metadata();
        foreach (var (name, value) in fixture.KeyHeaders)
        {
            headers.Add(name, value);
        }

        await ConformanceFixture.AssertRpcErrorAsync(StatusCode.Unimplemented, string.Empty,
            async () => await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers), new HealthCheckRequest()));
    }
}
