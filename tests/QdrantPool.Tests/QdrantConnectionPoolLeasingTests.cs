using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

public class QdrantConnectionPoolLeasingTests
{
    [Fact]
    public async Task InitializeAsync_MinSizeThree_OpensThreeIdleConnections()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 3; o.MaxSize = 5; });

        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.AssertPoolState(total: 3, idle: 3, leased: 0);
        Assert.Equal(3, ctx.Factory.OpenCount);
        Assert.Equal(3, ctx.Pool.GetStats().ConnectionsCreated);
    }

    [Fact]
    public async Task InitializeAsync_OpenFails_ThrowsTheFailureAndCountsIt()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (_, _) => throw new HttpRequestException("refused") };
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1, factory);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => ctx.Pool.InitializeAsync(CancellationToken.None).AsTask());

        Assert.Equal("refused", ex.Message);
        Assert.Equal(1, ctx.Pool.GetStats().FailedCreations);
        ctx.AssertPoolState(total: 0, idle: 0, leased: 0);
    }

    [Fact]
    public async Task AcquireAsync_EmptyPool_OpensConnectionOffThePathAndLendsIt()
    {
        await using var ctx = PoolTestContext.Create();

        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.NotNull(lease.Client);
        Assert.Same(ctx.Factory.Opened[0].Client, lease.Client);
        ctx.AssertPoolState(total: 1, idle: 0, leased: 1);
    }

    [Fact]
    public async Task ReleaseAsync_AfterAcquire_ConnectionBecomesIdleAndIsReused()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var first = await ctx.Pool.AcquireAsync();
        var client = first.Client;
        await ctx.Pool.ReleaseAsync(first);
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);

        await using var second = await ctx.Pool.AcquireAsync();
        Assert.Same(client, second.Client);
        Assert.Equal(1, ctx.Factory.OpenCount);
    }

    [Fact]
    public async Task ReleaseAsync_SameLeaseTwice_CountsOnce()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var lease = await ctx.Pool.AcquireAsync();
        await ctx.Pool.ReleaseAsync(lease);
        await lease.DisposeAsync();
        await ctx.Pool.ReleaseAsync(lease);

        var stats = ctx.Pool.GetStats();
        Assert.Equal(1, stats.TotalReleases);
        Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task ReleaseAsync_StaleCopyAfterSlotReused_DoesNotReleaseTheNewLease()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var first = await ctx.Pool.AcquireAsync();
        var staleCopy = first;
        await ctx.Pool.ReleaseAsync(first);
        await using var second = await ctx.Pool.AcquireAsync();

        await ctx.Pool.ReleaseAsync(staleCopy);

        ctx.AssertPoolState(total: 1, idle: 0, leased: 1);
    }

    [Fact]
    public async Task ReleaseAsync_DefaultLease_DoesNothing()
    {
        await using var ctx = PoolTestContext.Create();

        await ctx.Pool.ReleaseAsync(default);
        await default(QdrantLease).DisposeAsync();

        Assert.Equal(0, ctx.Pool.GetStats().TotalReleases);
    }

    [Fact]
    public void Client_DefaultLease_ThrowsClearly()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => default(QdrantLease).Client);

        Assert.Contains("never acquired", ex.Message);
    }

    [Fact]
    public async Task ReleaseAsync_LeaseOfAnotherPool_Throws()
    {
        await using var one = PoolTestContext.Create();
        await using var other = PoolTestContext.Create();
        await using var lease = await one.Pool.AcquireAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => other.Pool.ReleaseAsync(lease).AsTask());

        Assert.Contains(one.Pool.Name, ex.Message);
    }

    [Fact]
    public async Task AcquireAsync_ExclusiveLeases_EachLeaseGetsItsOwnConnection()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 3);

        var leases = new[] { await ctx.Pool.AcquireAsync(), await ctx.Pool.AcquireAsync(), await ctx.Pool.AcquireAsync() };

        Assert.Equal(3, leases.Select(l => l.Client).Distinct().Count());
        ctx.AssertPoolState(total: 3, idle: 0, leased: 3);
        Assert.Equal(3, ctx.Pool.GetStats().ActiveConnections);
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        ctx.AssertPoolState(total: 3, idle: 3, leased: 0);
    }

    [Fact]
    public async Task AcquireAsync_SharedLeasesTargetOne_PicksTheLeastLoadedConnection()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; o.MaxLeasesPerConnection = 4; });
        ctx.Pool.LeasesBeforeSpreading = 1;
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var leases = new List<QdrantLease>();
        for (var i = 0; i < 6; i++)
        {
            leases.Add(await ctx.Pool.AcquireAsync());
        }

        var perConnection = leases.GroupBy(l => l.Client).Select(g => g.Count()).OrderBy(c => c).ToArray();
        Assert.Equal([3, 3], perConnection);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((2, 6), (stats.ActiveConnections, stats.ActiveLeases));
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task AcquireAsync_SharedLeasesTargetOneAllBusy_OpensAnotherConnectionInTheBackground()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 3; o.MaxLeasesPerConnection = 8; });
        ctx.Pool.LeasesBeforeSpreading = 1;
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        await using var first = await ctx.Pool.AcquireAsync();
        await using var second = await ctx.Pool.AcquireAsync();

        Assert.Same(first.Client, second.Client);
        await ctx.WaitForPoolStateAsync(total: 2, idle: 1, leased: 2);
    }

    [Fact]
    public async Task AcquireAsync_PoolFull_WaitersServedInArrivalOrder()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();

        var order = new List<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var id = i;
            waiters.Add(Task.Run(async () =>
            {
                var lease = await ctx.Pool.AcquireAsync();
                lock (order)
                {
                    order.Add(id);
                }

                await lease.DisposeAsync();
            }));

            // Each waiter queues before the next starts, so arrival order is known.
            await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == id + 1);
        }

        await held.DisposeAsync();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Equal(1, ctx.Factory.OpenCount);
    }

    [Fact]
    public async Task AcquireAsync_NewcomerWhileOthersWait_QueuesBehindThem()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        await ctx.Pool.ReleaseAsync(held);
        var newcomer = ctx.Pool.AcquireAsync().AsTask();

        var served = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(newcomer.IsCompleted);
        await served.DisposeAsync();
        await (await newcomer.WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_Exhausted_ThrowsAfterTimeoutWithSettingsToRaise()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(3); });
        await using var held = await ctx.Pool.AcquireAsync();

        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);
        await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => waiting);
        Assert.Equal(
            $"The Qdrant connection pool '{ctx.Pool.Name}' is exhausted: no lease became free within AcquireTimeout (3 s). " +
            "The pool has 1 connection(s), 1 active, carrying 1 lease(s). Raise MaxSize (now 1), " +
            "MaxLeasesPerConnection (now 1) or AcquireTimeout (now 3 s), or return leases sooner.",
            ex.Message);
        Assert.IsAssignableFrom<TimeoutException>(ex);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1, 0), (stats.TotalTimeouts, stats.PendingWaiters));
    }

    [Fact]
    public async Task AcquireAsync_CanceledWhileWaiting_ThrowsAndLeavesQueue()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        await using var held = await ctx.Pool.AcquireAsync();
        using var cts = new CancellationTokenSource();

        var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, ctx.Pool.GetStats().PendingWaiters);
        Assert.Equal(0, ctx.Pool.GetStats().TotalTimeouts);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCanceled_ThrowsWithoutLeasing()
    {
        await using var ctx = PoolTestContext.Create();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ctx.Pool.AcquireAsync(new CancellationToken(true)).AsTask());

        Assert.Equal(0, ctx.Pool.GetStats().TotalAcquires);
    }

    [Fact]
    public async Task AcquireAsync_OpenFailsWithNothingOpen_WaiterGetsTheFailure()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (_, _) => throw new HttpRequestException("connection refused") };
        await using var ctx = PoolTestContext.Create(factory: factory);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("connection refused", ex.Message);
        Assert.Equal(0, ctx.Pool.GetStats().TotalTimeouts);
        Assert.Equal(1, ctx.Pool.GetStats().FailedCreations);
    }

    [Fact]
    public async Task AcquireAsync_OpenHangs_TimesOutAsConnectionFailure()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (_, ct) => Task.Delay(Timeout.Infinite, ct) };
        await using var ctx = PoolTestContext.Create(o => o.AcquireTimeout = TimeSpan.FromSeconds(2), factory);

        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(250));

        var ex = await Assert.ThrowsAnyAsync<TimeoutException>(() => waiting);
        Assert.True(ex is QdrantPoolExhaustedException || ex.Message.Contains("took longer than AcquireTimeout"), ex.Message);
    }

    [Fact]
    public async Task AcquireAsync_ManyConcurrentBorrowers_NeverExceedMaxSizeAndLoseNoLease()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 3; o.AcquireTimeout = TimeSpan.FromMinutes(5); });

        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await using var lease = await ctx.Pool.AcquireAsync();
                Assert.True(ctx.Pool.GetStats().TotalConnections <= 3);
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        var stats = ctx.Pool.GetStats();
        Assert.Equal(8000, stats.TotalAcquires);
        Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
        Assert.Equal(0, stats.ActiveLeases);
        Assert.True(ctx.Factory.OpenCount <= 3);
    }

    [Fact]
    public async Task AcquireAsync_IdleConnectionFastPath_AllocatesNothing()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; o.MaxLeasesPerConnection = 4; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        for (var i = 0; i < 100; i++)
        {
            await (await ctx.Pool.AcquireAsync()).DisposeAsync();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var lease = await ctx.Pool.AcquireAsync();
            await ctx.Pool.ReleaseAsync(lease);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1100, ctx.Pool.GetStats().TotalReleases);
    }

    [Fact]
    public async Task GetStats_AfterAcquires_ReportsAcquireTimes()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        ctx.Time.Advance(TimeSpan.FromMilliseconds(40));
        await held.DisposeAsync();
        await (await waiting).DisposeAsync();

        var stats = ctx.Pool.GetStats();
        Assert.Equal(2, stats.TotalAcquires);
        Assert.Equal(TimeSpan.FromMilliseconds(40), stats.MaxAcquireTime);
        Assert.Equal(TimeSpan.FromMilliseconds(40), stats.P95AcquireTime);
        Assert.Equal(TimeSpan.FromMilliseconds(20), stats.AverageAcquireTime);
    }
}
