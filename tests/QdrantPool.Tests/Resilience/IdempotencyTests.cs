using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Resilience;

/// <summary>ExecuteAsync's idempotent flag: what each kind of call retries (README, "Retries").</summary>
public class IdempotencyTests
{
    [Fact]
    public async Task ExecuteAsync_CreateCollectionReplyLost_NotRetriedSoItDoesNotTurnIntoAlreadyExists()
    {
        var creates = 0;
        var factory = new TestConnectionFactory
        {
            // The server creates the collection, then the reply is lost; a second Create would answer AlreadyExists.
            CallHandler = (_, _) => throw PoolTestContext.Rpc(Interlocked.Increment(ref creates) == 1 ? StatusCode.Unavailable : StatusCode.AlreadyExists),
        };
        await using var ctx = PoolTestContext.Create(factory: factory);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync(
            (client, ct) => client.CreateCollectionAsync("memories", new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: ct),
            idempotent: false));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, creates);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task ExecuteAsync_NotIdempotent_FailureAfterSendingNotRetried(StatusCode code)
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw PoolTestContext.Rpc(code); } };
        await using var ctx = PoolTestContext.Create(factory: factory);

        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: false));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ExecuteAsync_NotIdempotent_ConnectionRefusedBeforeSendingRetried()
    {
        var calls = 0;
        var refused = new RpcException(new Status(
            StatusCode.Unavailable,
            "Error connecting to subchannel.",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused))));
        var factory = new TestConnectionFactory { CallHandler = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw refused : Task.CompletedTask };
        await using var ctx = PoolTestContext.Create(factory: factory);

        await ctx.Pool.ExecuteAsync((client, ct) => client.CreateSnapshotAsync("memories", ct), idempotent: false);

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ExecuteAsync_NotIdempotent_ConnectionOpenFailsDuringAcquire_Retried()
    {
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, _) => attempt == 1
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
                : Task.CompletedTask,
        };
        await using var ctx = PoolTestContext.Create(o => o.AcquireTimeout = TimeSpan.FromMinutes(5), factory);

        await ctx.Pool.ExecuteAsync((client, ct) => client.CreateSnapshotAsync("memories", ct), idempotent: false);

        Assert.True(factory.Attempts >= 2, $"{factory.Attempts} open attempts");
    }

    [Fact]
    public async Task ExecuteAsync_Idempotent_ConnectionResetRetried()
    {
        var calls = 0;
        var reset = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", new IOException("The connection was reset")));
        var factory = new TestConnectionFactory { CallHandler = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw reset : Task.CompletedTask };
        await using var ctx = PoolTestContext.Create(factory: factory);

        await ctx.Pool.ExecuteAsync((client, ct) => client.UpsertAsync("memories", [new PointStruct { Id = 1, Vectors = new[] { 1f } }], cancellationToken: ct), idempotent: true);

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ExecuteAsync_NotIdempotent_ConnectionResetNotRetried()
    {
        var calls = 0;
        var reset = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", new IOException("The connection was reset")));
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw reset; } };
        await using var ctx = PoolTestContext.Create(factory: factory);

        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: false));

        Assert.Equal(1, calls);
    }
}
