using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

public class QdrantConnectionPoolHealthTests
{
    [Fact]
    public async Task AcquireAsync_IdleWithinBypassWindow_SkipsMediumCheck()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromMilliseconds(400));
        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.Equal(0, ctx.Factory.Opened[0].Invoker.Calls);
    }

    [Fact]
    public async Task AcquireAsync_IdlePastBypassWindow_RunsMediumCheck()
    {
        var methods = new List<string>();
        var factory = new TestConnectionFactory { CallHandler = (m, _) => { methods.Add(m); return Task.CompletedTask; } };
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromMilliseconds(600));
        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.Equal(["/qdrant.Collections/CollectionExists"], methods);
    }

    [Fact]
    public async Task AcquireAsync_MediumCheckFails_ReplacesConnectionAndLendsANewOne()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var broken = ctx.Factory.Opened[0];
        broken.Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable);

        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(broken.Client, lease.Client);
        Assert.True(broken.IsDisposed);
        await lease.DisposeAsync();
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1, 1), (stats.HealthCheckFailures, stats.ConnectionsRecycled));

        // The lease that failed its check never reached the caller: it counts as neither an acquire nor a release.
        Assert.Equal((1, 1), (stats.TotalAcquires, stats.TotalReleases));
    }

    [Fact]
    public async Task AcquireAsync_KeyRejectedByEveryConnection_ThrowsUnauthenticated()
    {
        var factory = new TestConnectionFactory();
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        factory.CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unauthenticated);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        // The replacement is fresh (never idle), so only the first connection is checked; its failure surfaces
        // once no other connection can be validated either.
        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var ex = await Assert.ThrowsAsync<RpcException>(() => lease.Client.ListCollectionsAsync());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
    }

    [Fact]
    public async Task ReleaseAsync_ChannelFaulted_FastTierRetiresAndReplacesConnection()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 0);
        var lease = await ctx.Pool.AcquireAsync();
        var transport = ctx.Factory.Opened[0];

        transport.IsFaulted = true;
        await lease.DisposeAsync();

        Assert.True(transport.IsDisposed);
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
        Assert.Equal(2, ctx.Factory.OpenCount);
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
    }

    [Fact]
    public async Task CheckHealthAsync_ConnectionAnswers_Healthy()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(1, result.Data["totalConnections"]);
        Assert.Equal(ctx.Pool.Name, result.Data["pool"]);
        var stats = ctx.Pool.GetStats();
        Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
    }

    [Fact]
    public async Task CheckHealthAsync_KeyRejected_Unhealthy()
    {
        var factory = new TestConnectionFactory { CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unauthenticated) };
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("rejected the API key", result.Description);
        Assert.IsType<RpcException>(result.Exception);

        // Counted as a failed check, but the connection stays: a new one would present the same key.
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.False(factory.Opened[0].IsDisposed);
    }

    [Fact]
    public async Task CheckHealthAsync_NoConnectionCanBeOpened_Unhealthy()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (_, _) => throw new HttpRequestException("refused") };
        await using var ctx = PoolTestContext.Create(factory: factory);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("cannot open a connection", result.Description);
        Assert.Equal(1L, result.Data["failedCreations"]);
    }

    [Fact]
    public async Task CheckHealthAsync_Exhausted_Degraded()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        await using var held = await ctx.Pool.AcquireAsync();

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("exhausted", result.Description);
        Assert.Equal(1, result.Data["activeLeases"]);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterFailedChecks_DegradedOnceThenHealthy()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].IsFaulted = true;
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);

        var first = await ctx.Pool.CheckHealthAsync(CancellationToken.None);
        var second = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Contains("failed connection(s) or health check(s)", first.Description);
        Assert.Equal(HealthStatus.Healthy, second.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_MediumCheckFails_UnhealthyAndConnectionReplaced()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var broken = ctx.Factory.Opened[0];
        broken.Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Internal);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        await PoolTestContext.WaitUntilAsync(() => broken.IsDisposed && ctx.Factory.OpenCount == 2);
    }

    [Fact]
    public async Task CheckHealthAsync_Disposed_Unhealthy()
    {
        var ctx = PoolTestContext.Create();
        await ctx.DisposeAsync();

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("disposed", result.Description);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckDue_ReadsConfiguredCollection()
    {
        var methods = new List<string>();
        var factory = new TestConnectionFactory { CallHandler = (m, _) => { lock (methods) { methods.Add(m); } return Task.CompletedTask; } };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.HealthCheckCollection = "memories"; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => { lock (methods) { return methods.Contains("/qdrant.Points/Count"); } });
        lock (methods)
        {
            Assert.Contains("/qdrant.Collections/Get", methods);
        }

        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckNotYetDue_MakesNoCall()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromSeconds(50));
        await ctx.Pool.HousekeepAsync();

        Assert.Equal(0, ctx.Factory.Opened[0].Invoker.Calls);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckFails_ReplacesConnectionInBackground()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var broken = ctx.Factory.Opened[0];
        broken.Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable);

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => broken.IsDisposed && ctx.Factory.OpenCount == 2);
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
        await using var lease = await ctx.Pool.AcquireAsync();
        Assert.Same(ctx.Factory.Opened[1].Client, lease.Client);
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Message.Contains("deep health check of connection 1 failed"));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task HousekeepAsync_DeepCheckRefusedByQdrant_KeepsConnectionAndCountsTheFailure(StatusCode status)
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; o.HealthCheckCollection = "misspelt"; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var connection = ctx.Factory.Opened[0];
        connection.Handler = (_, _) => throw PoolTestContext.Rpc(status);

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();
        await ctx.Pool.DeepChecks.WaitAsync(TimeSpan.FromSeconds(30));

        // Replacing it would not help: every new connection gets the same answer.
        Assert.False(connection.IsDisposed);
        Assert.Equal(1, ctx.Factory.OpenCount);
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Message.Contains($"refused by Qdrant ({status}; HealthCheckCollection 'misspelt')"));
    }
}
