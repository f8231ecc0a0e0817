using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// "Never" written as <see cref="TimeSpan.MaxValue"/> must mean never: a deadline past the clock's range is held at
/// the end of that range rather than wrapping round into the past.
/// </summary>
public class QdrantConnectionPoolLongDurationTests
{
    [Fact]
    public async Task AcquireAsync_ConnectionLifetimeMaxValue_ReusesTheConnection()
    {
        await using var ctx = PoolTestContext.Create(o => o.ConnectionLifetime = TimeSpan.MaxValue);
        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        // Before the fix the second acquire never returned: each new connection expired as it was published.
        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, ctx.Factory.OpenCount);
        Assert.Equal(0, ctx.Pool.GetStats().ConnectionsRecycled);
    }

    [Fact]
    public async Task HousekeepAsync_HealthCheckIntervalMaxValue_NoDeepCheck()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.HealthCheckInterval = TimeSpan.MaxValue; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var invoker = ctx.Factory.Opened[0].Invoker;

        await ctx.Pool.HousekeepAsync();

        Assert.Equal(0, invoker.Calls);
    }
}
