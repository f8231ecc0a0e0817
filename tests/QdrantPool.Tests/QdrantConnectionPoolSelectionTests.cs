using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// The connection-selection policy: the first connection below LeasesBeforeSpreading, so one fills before the next;
/// past the target on every connection, the least loaded; a new connection only when every open one is at its target.
/// </summary>
public class QdrantConnectionPoolSelectionTests
{
    [Fact]
    public async Task AcquireAsync_BelowTarget_FillsOneConnectionBeforeTheNext()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 3);

        var leases = await AcquireAsync(ctx, 4);

        // Three on the first connection (its target), then the second; the old least-loaded policy alternated (2 and 2).
        Assert.Equal([3, 1], CountsByConnection(ctx, leases));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_EveryConnectionAtTarget_SpreadsToTheLeastLoaded()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 2);

        var leases = await AcquireAsync(ctx, 7);

        Assert.Equal([4, 3], CountsByConnection(ctx, leases));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_AfterReleases_ReturnsToTheFirstConnectionBelowTarget()
    {
        await using var ctx = await CreateAsync(minSize: 2, maxSize: 2, target: 3);
        var leases = await AcquireAsync(ctx, 4);
        var first = ctx.Factory.Opened[0].Client;
        await leases.First(l => l.Client == first).DisposeAsync();

        // First connection 2 leases, second 1: the next borrower goes back to the first (least-loaded would pick the second).
        var next = await ctx.Pool.AcquireAsync();

        Assert.Same(first, next.Client);
        await next.DisposeAsync();
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_UpToTarget_OpensNoOtherConnection()
    {
        await using var ctx = await CreateAsync(minSize: 1, maxSize: 3, target: 4);

        var leases = await AcquireAsync(ctx, 4);

        // TotalConnections counts a background open from the moment it is reserved, so "none started" is visible at once.
        Assert.Equal(1, ctx.Pool.GetStats().TotalConnections);
        Assert.Single(leases.Select(l => l.Client).Distinct());
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_PastTargetOnEveryConnection_OpensAnotherInTheBackgroundAndFillsIt()
    {
        await using var ctx = await CreateAsync(minSize: 1, maxSize: 3, target: 2);
        var leases = await AcquireAsync(ctx, 3);

        // The third borrower shares the full connection at once rather than wait for the new one.
        Assert.Single(leases.Select(l => l.Client).Distinct());
        await ctx.WaitForPoolStateAsync(total: 2, idle: 1, leased: 3);

        leases.AddRange(await AcquireAsync(ctx, 2));
        var second = ctx.Factory.Opened[1].Client;
        Assert.Equal(2, leases.Count(l => l.Client == second));
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_TargetOne_SpreadsOverEveryConnectionLikeTheOldPolicy()
    {
        await using var ctx = await CreateAsync(minSize: 3, maxSize: 3, target: 1);

        var leases = await AcquireAsync(ctx, 6);

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

        var leases = await AcquireAsync(ctx, target);

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

        var leases = await AcquireAsync(ctx, 2);

        Assert.Equal([ctx.Factory.Opened[0].Client, ctx.Factory.Opened[1].Client], leases.Select(l => l.Client));
        Assert.Equal(2, ctx.Pool.GetStats().TotalConnections);
        await ReleaseAllAsync(leases);
    }

    [Fact]
    public async Task AcquireAsync_ConnectionFoundPastItsLifetimeBetweenHousekeepingTicks_IsRetiredNotLent()
    {
        // Lifetime 1,000 s without jitter; housekeeping every 150 s (a quarter of IdleTimeout), so it last ran at 900 s
        // and next runs at 1,050 s: at 1,001 s only the acquire's own scan can notice the expiry.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.ConnectionLifetime = TimeSpan.FromSeconds(1000); o.HealthCheckInterval = TimeSpan.FromHours(2); }, random: new FixedRandom(0.0));
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];
        ctx.Time.Advance(TimeSpan.FromSeconds(990));
        Assert.False(first.IsDisposed);
        ctx.Time.Advance(TimeSpan.FromSeconds(11));

        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(first.Client, lease.Client);
        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed, () => "the expired connection to be closed");
        Assert.Equal(1, ctx.Pool.GetStats().ConnectionsRecycled);
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

    private static async Task<List<QdrantLease>> AcquireAsync(PoolTestContext ctx, int count)
    {
        var leases = new List<QdrantLease>();
        for (var i = 0; i < count; i++)
        {
            leases.Add(await ctx.Pool.AcquireAsync());
        }

        return leases;
    }

    /// <summary>Leases per connection, in the order the connections were opened (slot order for a warmed pool).</summary>
    private static int[] CountsByConnection(PoolTestContext ctx, List<QdrantLease> leases) =>
        ctx.Factory.Opened.Select(t => leases.Count(l => ReferenceEquals(l.Client, t.Client))).Where(c => c > 0).ToArray();

    private static async Task ReleaseAllAsync(IEnumerable<QdrantLease> leases)
    {
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
