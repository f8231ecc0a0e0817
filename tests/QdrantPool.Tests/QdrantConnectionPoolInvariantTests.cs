using Microsoft.Extensions.Diagnostics.HealthChecks;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>Invariants mutation testing showed no test would notice breaking: what a waiter may be handed, what a scan may pick, what a health result carries.</summary>
public class QdrantConnectionPoolInvariantTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReleaseAsync_ConnectionRetiredWhileAWaiterWaits_WaiterGetsAnotherConnection()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        var first = ctx.Factory.Opened[0];
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        // Found broken as it comes back: it must close, not go to the waiter.
        first.IsFaulted = true;
        await held.DisposeAsync();

        await using var lease = await waiting.WaitAsync(Patience);
        Assert.NotSame(first.Client, lease.Client);
        Assert.True(first.IsDisposed);
        Assert.Equal(0, ctx.Pool.GetStats().PendingWaiters);
    }

    [Fact]
    public async Task AcquireAsync_AnotherConnectionHalfwayThroughClosing_LendsTheIdleOneAtOnce()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var lease = await ctx.Pool.AcquireAsync();
        var closing = ctx.Factory.Opened.Single(t => t.Client == lease.Client);
        using var gate = new ManualResetEventSlim();
        closing.DisposeGate = gate;

        // Faulted, so it closes as it comes back; its close blocks with the connection still in its slot, marked closed.
        closing.IsFaulted = true;
        var releasing = Task.Run(() => lease.DisposeAsync().AsTask());
        await PoolTestContext.WaitUntilAsync(() => closing.DisposeStarted);

        try
        {
            await using var other = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);
            Assert.NotSame(closing.Client, other.Client);
        }
        finally
        {
            gate.Set();
            await releasing.WaitAsync(Patience);
        }
    }

    [Fact]
    public async Task AcquireAsync_SharedConnectionFull_NextBorrowerWaitsRatherThanOverfillingIt()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; o.MaxLeasesPerConnection = 2; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var a = await ctx.Pool.AcquireAsync();
        var b = await ctx.Pool.AcquireAsync();

        var third = ctx.Pool.AcquireAsync().AsTask();

        Assert.False(third.IsCompleted);
        Assert.Equal((2, 1), (ctx.Pool.GetStats().ActiveLeases, ctx.Pool.GetStats().PendingWaiters));
        await a.DisposeAsync();
        await (await third.WaitAsync(Patience)).DisposeAsync();
        await b.DisposeAsync();
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task CheckHealthAsync_Healthy_DataCarriesEveryFigureOfThePoolStatsUnderItsKey()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 3; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        var s = ctx.Pool.GetStats();
        var expected = new Dictionary<string, object>
        {
            ["pool"] = s.PoolName,
            ["maxSize"] = 3,
            ["totalConnections"] = 1,
            ["idleConnections"] = 1,
            ["activeConnections"] = 0,
            ["activeLeases"] = 0,
            ["pendingWaiters"] = 0,
            ["totalAcquires"] = 2L,
            ["totalReleases"] = 2L,
            ["totalTimeouts"] = 0L,
            ["healthCheckFailures"] = 0L,
            ["connectionsCreated"] = 1L,
            ["connectionsRecycled"] = 0L,
            ["failedCreations"] = 0L,
            ["averageAcquireMs"] = s.AverageAcquireTime.TotalMilliseconds,
            ["p95AcquireMs"] = s.P95AcquireTime.TotalMilliseconds,
            ["maxAcquireMs"] = s.MaxAcquireTime.TotalMilliseconds,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), result.Data.OrderBy(p => p.Key));
    }
}
