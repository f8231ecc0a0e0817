using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QdrantPool.Tests.Integration;

[Collection(EmulatorCollection.Name)]
public class PoolAgainstEmulatorTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task AcquireAsync_RealChannel_CallsQdrantOverLoopback()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.MinSize = 1));
        await pool.InitializeAsync(CancellationToken.None);
        var collection = "pool_it_" + Guid.NewGuid().ToString("N")[..8];

        await using (var lease = await pool.AcquireAsync())
        {
            await lease.Client.CreateCollectionAsync(collection, new Qdrant.Client.Grpc.VectorParams { Size = 4, Distance = Qdrant.Client.Grpc.Distance.Cosine });
            Assert.True(await lease.Client.CollectionExistsAsync(collection));
        }

        var names = await pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);
        Assert.Contains(collection, names);
        var stats = pool.GetStats();
        Assert.Equal((1, 2L, 2L, 0), (stats.TotalConnections, stats.TotalAcquires, stats.TotalReleases, stats.ActiveLeases));
    }

    [Fact]
    public async Task InitializeAsync_MinSizeThree_OpensThreeTcpConnections()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "Counting TCP connections needs Linux /proc.");
        var port = emulator.Endpoint.Port;
        var before = TcpConnectionCounter.CountEstablishedTo(port);
        await using var pool = new QdrantConnectionPool(emulator.Options(o => { o.MinSize = 3; o.MaxSize = 3; }));

        await pool.InitializeAsync(CancellationToken.None);

        Assert.Equal(before + 3, TcpConnectionCounter.CountEstablishedTo(port));
        await pool.ClearAsync();
        await Support.PoolTestContext.WaitUntilAsync(
            () => TcpConnectionCounter.CountEstablishedTo(port) == before + 3 && pool.GetStats().ConnectionsRecycled == 3,
            () => $"3 connections replaced after ClearAsync; {TcpConnectionCounter.CountEstablishedTo(port) - before} open");
    }

    [Fact]
    public async Task DisposeAsync_RealChannels_ClosesTheirSockets()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "Counting TCP connections needs Linux /proc.");
        var port = emulator.Endpoint.Port;
        var before = TcpConnectionCounter.CountEstablishedTo(port);
        var pool = new QdrantConnectionPool(emulator.Options(o => { o.MinSize = 2; o.MaxSize = 2; }));
        await pool.InitializeAsync(CancellationToken.None);
        Assert.Equal(before + 2, TcpConnectionCounter.CountEstablishedTo(port));

        await pool.DisposeAsync();

        await Support.PoolTestContext.WaitUntilAsync(
            () => TcpConnectionCounter.CountEstablishedTo(port) == before,
            () => $"sockets closed; {TcpConnectionCounter.CountEstablishedTo(port) - before} still established");
    }

    [Fact]
    public async Task CheckHealthAsync_RightKey_Healthy()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());

        var result = await pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_WrongKey_Unhealthy()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.ApiKey = "wrong-key"));

        var result = await pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(result.Exception).StatusCode);
    }

    [Fact]
    public async Task AcquireAsync_WrongKeyIdleConnection_MediumTierRejectsIt()
    {
        // A zero bypass window makes every borrow of an idle connection run the medium tier.
        await using var pool = new QdrantConnectionPool(emulator.Options(o => { o.ApiKey = "wrong-key"; o.MinSize = 1; o.ValidationBypassWindow = TimeSpan.Zero; }));
        await pool.InitializeAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<RpcException>(() => pool.AcquireAsync().AsTask());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.True(pool.GetStats().HealthCheckFailures >= 1);
        Assert.Equal(0, pool.GetStats().ActiveLeases);
    }

    [Fact]
    public async Task ExecuteAsync_WrongKey_NotRetried()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.ApiKey = "wrong-key"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(1, pool.GetStats().TotalAcquires);
    }

    [Fact]
    public async Task AcquireAsync_NothingListening_FailsWithConnectionError()
    {
        var port = LoopbackPort.Free();
        await using var pool = new QdrantConnectionPool(emulator.Options(o => { o.Endpoint = new Uri($"http://127.0.0.1:{port}"); o.AcquireTimeout = TimeSpan.FromSeconds(5); }));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => pool.AcquireAsync().AsTask());

        Assert.IsNotType<QdrantPoolExhaustedException>(ex);
        Assert.Equal(1, pool.GetStats().FailedCreations);
        Assert.Equal(HealthStatus.Unhealthy, (await pool.CheckHealthAsync(CancellationToken.None)).Status);
    }
}
