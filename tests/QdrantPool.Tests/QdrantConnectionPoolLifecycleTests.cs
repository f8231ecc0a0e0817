using Microsoft.Extensions.Logging;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

public class QdrantConnectionPoolLifecycleTests
{
    [Fact]
    public async Task HousekeepAsync_IdleConnectionPastLifetime_IsRecycledAndReplaced()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.ConnectionLifetime = TimeSpan.FromMinutes(1); o.HealthCheckInterval = TimeSpan.FromHours(1); });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];

        ctx.Time.Advance(TimeSpan.FromMinutes(1));
        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed && ctx.Factory.OpenCount == 2);
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
        Assert.Equal(1, ctx.Pool.GetStats().ConnectionsRecycled);
    }

    [Fact]
    public async Task HousekeepAsync_LeasedConnectionPastLifetime_RetiredOnlyWhenReturned()
    {
        await using var ctx = PoolTestContext.Create(o => { o.ConnectionLifetime = TimeSpan.FromMinutes(1); o.HealthCheckInterval = TimeSpan.FromHours(1); });
        var lease = await ctx.Pool.AcquireAsync();
        var transport = ctx.Factory.Opened[0];

        ctx.Time.Advance(TimeSpan.FromMinutes(2));
        await ctx.Pool.HousekeepAsync();
        Assert.False(transport.IsDisposed);

        await lease.DisposeAsync();
        Assert.True(transport.IsDisposed);
        ctx.AssertPoolState(total: 0, idle: 0, leased: 0);
    }

    [Fact]
    public async Task AcquireAsync_LifetimeJitter_ExpiresSlightlyBeforeTheSetting()
    {
        // Random.NextDouble() = 1 would take the full 2.5 %; a fixed source keeps the figure exact.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.ConnectionLifetime = TimeSpan.FromSeconds(1000); o.HealthCheckInterval = TimeSpan.FromHours(2); }, random: new FixedRandom(1.0));
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];

        ctx.Time.Advance(TimeSpan.FromSeconds(975));
        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(first.IsDisposed);
        Assert.NotSame(first.Client, lease.Client);
    }

    [Fact]
    public async Task HousekeepAsync_IdleAboveMinSizePastIdleTimeout_Pruned()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 3; o.IdleTimeout = TimeSpan.FromMinutes(1); o.HealthCheckInterval = TimeSpan.FromHours(1); });
        var leases = new[] { await ctx.Pool.AcquireAsync(), await ctx.Pool.AcquireAsync(), await ctx.Pool.AcquireAsync() };
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        ctx.Time.Advance(TimeSpan.FromMinutes(1));
        await ctx.Pool.HousekeepAsync();

        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.Equal(2, ctx.Pool.GetStats().ConnectionsRecycled);
    }

    [Fact]
    public async Task HousekeepAsync_IdleButRecentlyUsed_NotPruned()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 0; o.IdleTimeout = TimeSpan.FromMinutes(1); o.HealthCheckInterval = TimeSpan.FromHours(1); });
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        ctx.Time.Advance(TimeSpan.FromSeconds(30));
        await ctx.Pool.HousekeepAsync();

        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task HousekeepAsync_BelowMinSize_RefillsInBackground()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 3; });

        await ctx.Pool.HousekeepAsync();

        await ctx.WaitForPoolStateAsync(total: 2, idle: 2, leased: 0);
    }

    [Fact]
    public async Task Timer_FakeTimeAdvances_RunsHousekeeping()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.HealthCheckInterval = TimeSpan.FromSeconds(4); });

        ctx.Time.Advance(QdrantConnectionPool.HousekeepingPeriod(ctx.Options));

        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public void HousekeepingPeriod_QuarterOfShortestSetting_Clamped()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), QdrantConnectionPool.HousekeepingPeriod(new QdrantConnectionPoolOptions()));
        Assert.Equal(TimeSpan.FromSeconds(1), QdrantConnectionPool.HousekeepingPeriod(new QdrantConnectionPoolOptions { LeakDetectionThreshold = TimeSpan.FromSeconds(4) }));
        Assert.Equal(TimeSpan.FromMilliseconds(100), QdrantConnectionPool.HousekeepingPeriod(new QdrantConnectionPoolOptions { IdleTimeout = TimeSpan.FromMilliseconds(10) }));
    }

    [Fact]
    public async Task HousekeepAsync_LeaseHeldPastThreshold_WarnsOnceWithAcquiringStack()
    {
        await using var ctx = PoolTestContext.Create(o => o.LeakDetectionThreshold = TimeSpan.FromSeconds(2));
        var lease = await AcquireForLeakTestAsync(ctx.Pool);

        ctx.Time.Advance(TimeSpan.FromSeconds(3));
        await ctx.Pool.HousekeepAsync();
        await ctx.Pool.HousekeepAsync();

        var warnings = ctx.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains("possible leak")).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains(nameof(AcquireForLeakTestAsync), warning.Message);
        Assert.Contains("held for 3.0 s", warning.Message);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task HousekeepAsync_LeaseReturnedInTime_NoLeakWarning()
    {
        await using var ctx = PoolTestContext.Create(o => o.LeakDetectionThreshold = TimeSpan.FromSeconds(2));
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        ctx.Time.Advance(TimeSpan.FromSeconds(3));
        await ctx.Pool.HousekeepAsync();

        Assert.DoesNotContain(ctx.Logs.GetSnapshot(), r => r.Message.Contains("possible leak"));
    }

    [Fact]
    public async Task ClearAsync_IdleAndLeased_IdleClosedNowLeasedOnReturn()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 2);
        var kept = await ctx.Pool.AcquireAsync();
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();
        var (leased, idle) = (ctx.Factory.Opened.Single(t => t.Client == kept.Client), ctx.Factory.Opened.Single(t => t.Client != kept.Client));

        await ctx.Pool.ClearAsync();

        Assert.True(idle.IsDisposed);
        Assert.False(leased.IsDisposed);
        await kept.DisposeAsync();
        Assert.True(leased.IsDisposed);
        ctx.AssertPoolState(total: 0, idle: 0, leased: 0);
        await using var fresh = await ctx.Pool.AcquireAsync();
        Assert.Equal(3, ctx.Factory.OpenCount);
    }

    [Fact]
    public async Task DisposeAsync_LeaseReturnedWithinDrain_ClosesEverythingAfterIt()
    {
        var ctx = PoolTestContext.Create(o => o.MaxSize = 2);
        var lease = await ctx.Pool.AcquireAsync();
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        var disposing = ctx.Pool.DisposeAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Factory.DisposedCount == 1);
        Assert.False(disposing.IsCompleted);

        await lease.DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, ctx.Factory.DisposedCount);
        Assert.Equal(0, ctx.Pool.GetStats().TotalConnections);
    }

    [Fact]
    public async Task DisposeAsync_LeaseKeptPastDrain_ClosesItAnywayAndWarns()
    {
        var ctx = PoolTestContext.Create(o => o.DisposeDrainTimeout = TimeSpan.FromSeconds(5));
        var lease = await ctx.Pool.AcquireAsync();

        var disposing = ctx.Pool.DisposeAsync().AsTask();
        await ctx.AdvanceUntilCompletedAsync(disposing, TimeSpan.FromSeconds(1));

        Assert.True(ctx.Factory.Opened[0].IsDisposed);
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Message.Contains("1 lease(s) still out"));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_WaitersQueued_FailWithObjectDisposed()
    {
        var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.DisposeDrainTimeout = TimeSpan.Zero; });
        var lease = await ctx.Pool.AcquireAsync();
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        await ctx.Pool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var ctx = PoolTestContext.Create();
        await ctx.Pool.DisposeAsync();
        await ctx.Pool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => ctx.Pool.AcquireAsync().AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ctx.Pool.ClearAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ctx.Pool.ExecuteAsync((c, ct) => c.ListCollectionsAsync(ct), idempotent: true));
    }

    private static async Task<QdrantLease> AcquireForLeakTestAsync(QdrantConnectionPool pool) => await pool.AcquireAsync();
}
