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

    [Fact]
    public async Task Dispatch_WaiterCanceledAfterItsCapacityWasTaken_CapacityComesBackUnused()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory { BeforeOpen = (_, ct) => gate.Task.WaitAsync(ct) };
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1, factory);
        using var cts = new CancellationTokenSource();
        var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 1);

        // The new connection's dispatch chooses it for the waiter; the waiter leaves at that moment.
        ctx.Pool.AfterConnectionSelected = _ => cts.Cancel();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        ctx.Pool.AfterConnectionSelected = null;
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((0L, 0L, 0), (stats.TotalAcquires, stats.TotalReleases, stats.PendingWaiters));
    }

    [Fact]
    public async Task AcquireAsync_IdleConnectionFromBeforeAClear_RetiredWhenFoundAndNeverLent()
    {
        var factory = new TestConnectionFactory();
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 2; }, factory);

        // The clear runs while the first connection is opening: that one carries the old generation into its slot.
        var cleared = 0;
        ctx.Pool.BeforeConnectionPublished = _ =>
        {
            if (Interlocked.Exchange(ref cleared, 1) == 0)
            {
                ctx.Pool.ClearAsync().GetAwaiter().GetResult();
            }
        };
        await ctx.Pool.InitializeAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        var stale = factory.Opened[0];
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().IdleConnections == 1);

        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);

        Assert.NotSame(stale.Client, lease.Client);
        Assert.True(stale.IsDisposed);
        Assert.Equal(1, ctx.Pool.GetStats().ConnectionsRecycled);
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Id.Id == 4 && r.Message.EndsWith(": cleared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckHealthAsync_NoLeaseWithinTheMediumTimeout_DegradedAsExhausted()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (attempt, ct) => attempt > 1 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask };
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 2, factory);
        await using var held = await ctx.Pool.AcquireAsync();

        var checking = ctx.Pool.CheckHealthAsync(CancellationToken.None);
        await ctx.AdvanceUntilCompletedAsync(checking, TimeSpan.FromMilliseconds(500));

        var result = await checking;
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("is exhausted", result.Description);
        Assert.IsType<QdrantPoolExhaustedException>(result.Exception);
    }
}
