using QdrantPool.Connections;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// The connection-selection policy: the first connection below LeasesBeforeSpreading, so one fills before the next;
/// past the target on every connection, the least loaded; a new connection only when every open one is at its target.
/// </summary>
public class QdrantConnectionPoolSelectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AcquireAsync_BelowTarget_FillsOneConnectionBeforeTheNext()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 3);

        await using var leases = await AcquireAsync(ctx, 4);

        // Three on the first connection (its target), then the second; the old least-loaded policy alternated (2 and 2).
        Assert.Equal([3, 1], CountsByConnection(ctx, leases));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_EveryConnectionAtTarget_SpreadsToTheLeastLoaded()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 2);

        await using var leases = await AcquireAsync(ctx, 7);

        Assert.Equal([4, 3], CountsByConnection(ctx, leases));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_AfterReleases_ReturnsToTheFirstConnectionBelowTarget()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 3);
        await using var leases = await AcquireAsync(ctx, 4);
        var first = ctx.Factory.Opened[0].Client;
        await leases.First(l => l.Client == first).DisposeAsync();

        // First connection 2 leases, second 1: the next borrower goes back to the first (least-loaded would pick the second).
        await using var next = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);

        Assert.Same(first, next.Client);
        await next.DisposeAsync();
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_UpToTarget_OpensNoOtherConnection()
    {
        await using var ctx = await CreateAsync(minSize: 1, maxSize: 3, target: 4);

        await using var leases = await AcquireAsync(ctx, 4);

        // TotalConnections counts a background open from the moment it is reserved, so "none started" is visible at once.
        Assert.Equal(1, ctx.Pool.GetStats().TotalConnections);
        Assert.Single(leases.Select(l => l.Client).Distinct());
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_PastTargetOnEveryConnection_OpensAnotherInTheBackgroundAndFillsIt()
    {
        await using var ctx = await CreateAsync(minSize: 1, maxSize: 3, target: 2);
        await using var leases = await AcquireAsync(ctx, 3);

        // The third borrower shares the full connection at once rather than wait for the new one.
        Assert.Single(leases.Select(l => l.Client).Distinct());
        await ctx.WaitForPoolStateAsync(total: 2, idle: 1, leased: 3);

        leases.AddRange(await AcquireAsync(ctx, 2));
        var second = ctx.Factory.Opened[1].Client;
        Assert.Equal(2, leases.Count(l => l.Client == second));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_PastTargetWhileAnotherConnectionIsOpening_OpensNoSecond()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory { BeforeOpen = (attempt, ct) => attempt == 1 ? Task.CompletedTask : gate.Task.WaitAsync(ct) };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 3; o.MaxLeasesPerConnection = 8; }, factory);
        ctx.Pool.LeasesBeforeSpreading = 1;
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        // The second borrower starts an open; the third finds one opening and shares too.
        await using var leases = await AcquireAsync(ctx, 3);

        Assert.Equal(2, ctx.Pool.GetStats().TotalConnections);
        gate.SetResult();
        await ctx.WaitForPoolStateAsync(total: 2, idle: 1, leased: 3);
    }

    [Fact]
    public async Task AcquireAsync_TargetOne_SpreadsOverEveryConnectionLikeTheOldPolicy()
    {
        await using var ctx = await CreateAsync(minSize: 3, maxSize: 3, target: 1);

        await using var leases = await AcquireAsync(ctx, 6);

        Assert.Equal([2, 2, 2], CountsByConnection(ctx, leases));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_DefaultTarget_KeepsThatManyCallersOnOneConnection()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 5; o.MaxLeasesPerConnection = 64; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var target = QdrantConnectionPool.DefaultLeasesBeforeSpreading(Environment.ProcessorCount);
        Assert.Equal(target, ctx.Pool.LeasesBeforeSpreading);

        await using var leases = await AcquireAsync(ctx, target);

        Assert.Equal(1, ctx.Pool.GetStats().TotalConnections);
        Assert.Single(leases.Select(l => l.Client).Distinct());
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task LeasesBeforeSpreading_AboveMaxLeasesPerConnection_IsCappedThere()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxLeasesPerConnection = 4);

        ctx.Pool.LeasesBeforeSpreading = 100;

        Assert.Equal(4, ctx.Pool.LeasesBeforeSpreading);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Pool.LeasesBeforeSpreading = 0);
    }

    [Fact]
    public async Task AcquireAsync_ExclusiveLeases_TakeTheFirstIdleConnectionAndOpenOnlyForWaiters()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 3; o.MaxLeasesPerConnection = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        await using var leases = await AcquireAsync(ctx, 2);

        Assert.Equal([ctx.Factory.Opened[0].Client, ctx.Factory.Opened[1].Client], leases.Select(l => l.Client));
        Assert.Equal(2, ctx.Pool.GetStats().TotalConnections);
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_ConnectionFoundAtExactlyItsLifetimeBetweenHousekeepingTicks_IsRetiredNotLent()
    {
        // Lifetime 1,000 s without jitter; housekeeping every 15 s, so its last pass before the expiry saw 999.9999 s
        // and the next comes at 1,005 s: at the expiry only the acquire's own scan can notice it.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.ConnectionLifetime = TimeSpan.FromSeconds(1000); o.HealthCheckInterval = TimeSpan.FromHours(2); }, random: new FixedRandom(0.0));
        PooledConnection? published = null;
        ctx.Pool.BeforeConnectionPublished = c => published ??= c;
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];
        ctx.Time.Advance(TimeSpan.FromSeconds(901));
        ctx.Time.Advance(ctx.Time.GetElapsedTime(ctx.Time.GetTimestamp(), published!.ExpiresAt) - TimeSpan.FromTicks(1));
        Assert.False(first.IsDisposed);
        ctx.Time.Advance(TimeSpan.FromTicks(1));

        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);

        Assert.NotSame(first.Client, lease.Client);
        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed, () => "the expired connection to be closed");
        Assert.Equal(1, ctx.Pool.GetStats().ConnectionsRecycled);
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Id.Id == 4 && r.Message.EndsWith($"closed connection {published.Id}: lifetime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcquireAsync_EveryConnectionFull_TheScanChoosesNone()
    {
        // A full connection is never a choice, even where taking its capacity would fail afterwards anyway.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; o.MaxLeasesPerConnection = 2; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await using var leases = await AcquireAsync(ctx, 4);
        var chosen = new List<int>();
        ctx.Pool.AfterConnectionSelected = c => chosen.Add(c.Leases);

        var waiting = ctx.Pool.AcquireAsync().AsTask();

        Assert.False(waiting.IsCompleted);
        Assert.Empty(chosen);
        ctx.Pool.AfterConnectionSelected = null;
        await leases[0].DisposeAsync();
        await (await waiting.WaitAsync(Patience)).DisposeAsync();
    }

    [Theory]
    [InlineData(1, 32)]
    [InlineData(2, 32)]
    [InlineData(3, 16)]
    [InlineData(5, 8)]
    [InlineData(8, 4)]
    [InlineData(16, 2)]
    [InlineData(128, 2)]
    public void DefaultLeasesBeforeSpreading_ShrinksAsCoresGrow(int processorCount, int expected) =>
        Assert.Equal(expected, QdrantConnectionPool.DefaultLeasesBeforeSpreading(processorCount));

    private static async Task<PoolTestContext> CreateAsync(int minSize, int maxSize, int target)
    {
        var ctx = PoolTestContext.Create(o => { o.MinSize = minSize; o.MaxSize = maxSize; o.MaxLeasesPerConnection = 8; });
        ctx.Pool.LeasesBeforeSpreading = target;
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        return ctx;
    }

    private static async Task<HeldLeases> AcquireAsync(PoolTestContext ctx, int count)
    {
        var leases = new HeldLeases();
        for (var i = 0; i < count; i++)
        {
            // Bounded: on a fake clock an acquire that has to wait would never time out by itself.
            leases.Add(await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience));
        }

        return leases;
    }

    /// <summary>Leases per connection, in the order the connections were opened (slot order for a warmed pool).</summary>
    private static int[] CountsByConnection(PoolTestContext ctx, HeldLeases leases) =>
        ctx.Factory.Opened.Select(t => leases.Count(l => ReferenceEquals(l.Client, t.Client))).Where(c => c > 0).ToArray();

    private static async Task ReleaseAllAsync(IEnumerable<QdrantLease> leases)
    {
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    /// <summary>
    /// Leases returned when the test ends, pass or fail: a lease left out would hold the pool's dispose until its drain
    /// timeout, which never elapses on a fake clock. Returning a lease twice does nothing, so tests may return them
    /// earlier too.
    /// </summary>
    private sealed class HeldLeases : List<QdrantLease>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var lease in this)
            {
                await lease.DisposeAsync();
            }
        }
    }
}
