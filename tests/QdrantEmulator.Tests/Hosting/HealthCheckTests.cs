using System.Net;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Hosting;

[Collection("conformance")]
public sealed class HealthCheckTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task HealthAsync_WithKey_ReturnsQdrantTitle()
    {
        var reply = await fixture.Client.HealthAsync();

        Assert.Equal("qdrant - vector search engine", reply.Title);
        Assert.False(string.IsNullOrEmpty(reply.Version));
    }

    [Fact]
    public async Task HealthCheck_WithoutKey_IsExemptFromAuth()
    {
        var grpc = fixture.CreateGrpcClient();

        var reply = await grpc.Qdrant.HealthCheckAsync(new HealthCheckRequest());

        Assert.Equal("qdrant - vector search engine", reply.Title);
    }

    [Fact]
    public async Task StandardGrpcHealthCheck_WithoutKey_IsServing()
    {
        var bytes = global::Grpc.Core.Marshallers.Create(static (byte[] m) => m, static m => m);
        var method = new global::Grpc.Core.Method<byte[], byte[]>(global::Grpc.Core.MethodType.Unary, "grpc.health.v1.Health", "Check", bytes, bytes);
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(fixture.GrpcEndpoint);

        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new global::Grpc.Core.CallOptions(), []);

        // HealthCheckResponse { status: SERVING } is field 1 (varint) = 1.
        Assert.Equal(new byte[] { 0x08, 0x01 }, reply);
    }

    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/livez", "healthz check passed")]
    [InlineData("/readyz", "all shards are ready")]
    public async Task RestProbe_WithoutKey_AnswersLikeQdrant(string path, string body)
    {
        if (fixture.HttpEndpoint is null)
        {
            return; // A real Qdrant given only by its gRPC endpoint: nothing to probe.
        }

        using var http = new HttpClient { BaseAddress = fixture.HttpEndpoint };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RestRoot_WithoutKey_ReturnsVersionDocument()
    {
        if (fixture.HttpEndpoint is null)
        {
            return;
        }

        using var http = new HttpClient { BaseAddress = fixture.HttpEndpoint };

        var body = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.StartsWith("{\"title\":\"qdrant - vector search engine\",\"version\":\"", body);
    }
}
