using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;
using QdrantPool.Connections;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// Behaviour that mutation testing showed no other test would notice breaking: health-report wording and failure
/// counting, the exact bounds of the bypass window and of a connection's lifetime, and the timeout's log line.
/// </summary>
public class QdrantConnectionPoolMutationKillTests
{
    [Fact]
    public async Task CheckHealthAsync_ConnectionAnswers_DescriptionSaysHealthy()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal($"The Qdrant connection pool '{ctx.Pool.Name}' is healthy.", result.Description);
    }

    [Fact]
    public async Task CheckHealthAsync_MediumCheckFails_DescriptionNamesEndpoint()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Internal);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Contains("failed its health check against http://127.0.0.1:6334", result.Description);
        Assert.IsType<RpcException>(result.Exception);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterUnhealthyReport_FailureAlreadyReportedSoNextIsHealthy()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var broken = ctx.Factory.Opened[0];
        broken.Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Internal);
        Assert.Equal(HealthStatus.Unhealthy, (await ctx.Pool.CheckHealthAsync(CancellationToken.None)).Status);
        await PoolTestContext.WaitUntilAsync(() => broken.IsDisposed);

        var next = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, next.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterFailedOpenOnly_DegradedCountingIt()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (attempt, _) => attempt == 1 ? throw new HttpRequestException("refused") : Task.CompletedTask };
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1, factory);
        try
        {
            await ctx.Pool.InitializeAsync(CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            // Whether warm-up surfaces the failure is not under test; the failure's count is.
        }

        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().FailedCreations == 1);

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("saw 1 failed connection(s)", result.Description);
    }

    [Fact]
    public async Task AcquireAsync_IdleExactlyTheBypassWindow_SkipsMediumCheck()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(ctx.Options.ValidationBypassWindow);
        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.Equal(0, ctx.Factory.Opened[0].Invoker.Calls);
    }

    [Fact]
    public async Task ReleaseAsync_AtExactlyConnectionLifetimeBetweenHousekeepingPasses_RetiresConnection()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 0; o.ConnectionLifetime = TimeSpan.FromMinutes(5); });
        PooledConnection? published = null;
        ctx.Pool.BeforeConnectionPublished = c => published = c;
        var lease = await ctx.Pool.AcquireAsync();
        var transport = ctx.Factory.Opened[0];

        // Housekeeping retires expired connections too; reach the (jittered) expiry between two of its passes so
        // only the fast tier on release can notice it.
        var period = QdrantConnectionPool.HousekeepingPeriod(ctx.Options);
        var untilExpiry = ctx.Time.GetElapsedTime(ctx.Time.GetTimestamp(), published!.ExpiresAt);
        Assert.NotEqual(0, untilExpiry.Ticks % period.Ticks);
        var passes = untilExpiry.Ticks / period.Ticks;
        for (var pass = 0; pass < passes; pass++)
        {
            ctx.Time.Advance(period);
        }

        ctx.Time.Advance(untilExpiry - (period * passes));
        Assert.Equal(published.ExpiresAt, ctx.Time.GetTimestamp());
        Assert.False(transport.IsDisposed);
        await lease.DisposeAsync();

        await PoolTestContext.WaitUntilAsync(() => transport.IsDisposed);
    }

    [Fact]
    public async Task AcquireAsync_TimesOut_LogsWarningWithPoolAndSize()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(3); });
        await using var held = await ctx.Pool.AcquireAsync();

        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);
        await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => waiting);

        var log = Assert.Single(ctx.Logs.GetSnapshot(), r => r.Id.Id == 6);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains(ctx.Pool.Name, log.Message);
    }

    [Fact]
    public async Task CheckHealthAsync_CollectionConfigured_MediumCheckAsksForIt()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.HealthCheckCollection = "memories"; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal("memories", Assert.IsType<CollectionExistsRequest>(ctx.Factory.Opened[0].Invoker.LastRequest).CollectionName);
    }

    [Fact]
    public async Task CheckHealthAsync_NoCollectionConfigured_MediumCheckAsksForProbeName()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(QdrantConnectionPool.MediumCheckProbeCollection, Assert.IsType<CollectionExistsRequest>(ctx.Factory.Opened[0].Invoker.LastRequest).CollectionName);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckFailsOnIdleConnection_ClosesItAtOnce()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var broken = ctx.Factory.Opened[0];
        broken.Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable);

        // One period at a time (fake time runs every pass a jump covers at the jump's end): the pass that runs the
        // check is the last, so no later pass comes to close what it retired.
        var period = QdrantConnectionPool.HousekeepingPeriod(ctx.Options);
        while (broken.Invoker.Calls == 0)
        {
            Assert.True(ctx.Time.GetUtcNow() < ctx.Time.Start + TimeSpan.FromSeconds(70), "no deep check within 70 s");
            ctx.Time.Advance(period);
        }

        await PoolTestContext.WaitUntilAsync(() => broken.IsDisposed);
    }

    [Fact]
    public async Task AcquireAsync_IdleConnectionPassesMediumCheck_CountsOneAcquire()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.Equal(1, ctx.Factory.Opened[0].Invoker.Calls);
        Assert.Equal(1, ctx.Pool.GetStats().TotalAcquires);
    }

    [Fact]
    public async Task HousekeepAsync_LeaseFromIdleConnectionHeldPastThreshold_WarnsWithAcquiringStack()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.LeakDetectionThreshold = TimeSpan.FromSeconds(2); });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var lease = await AcquireIdleForLeakTestAsync(ctx.Pool);

        ctx.Time.Advance(TimeSpan.FromSeconds(3));
        await ctx.Pool.HousekeepAsync();

        var warning = Assert.Single(ctx.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("possible leak"));
        Assert.Contains(nameof(AcquireIdleForLeakTestAsync), warning.Message);
        Assert.Contains($"{nameof(QdrantConnectionPoolMutationKillTests)}.cs:line", warning.Message);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_CallersQueueWhileItChecks_DegradedNamingHowManyStillWait()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        Task<QdrantLease>? first = null, second = null;
        ctx.Factory.Opened[0].Handler = (_, _) =>
        {
            // The check holds the only connection: both callers queue. Its release serves the first.
            first ??= ctx.Pool.AcquireAsync().AsTask();
            second ??= ctx.Pool.AcquireAsync().AsTask();
            return Task.CompletedTask;
        };

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = null;
        await (await first!.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        await (await second!.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal($"The Qdrant connection pool '{ctx.Pool.Name}' has 1 caller(s) waiting for a lease.", result.Description);
        Assert.Equal(1, result.Data["pendingWaiters"]);
    }

    [Fact]
    public async Task CheckHealthAsync_SharesAConnectionAtItsTarget_OpensNoOtherConnection()
    {
        // A caller sharing a connection at its target opens another in the background; the pool's own probe must not.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 2; o.MaxLeasesPerConnection = 4; });
        ctx.Pool.LeasesBeforeSpreading = 1;
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await using var held = await ctx.Pool.AcquireAsync();

        var result = await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal((1, 1), (ctx.Pool.GetStats().TotalConnections, ctx.Factory.Attempts));
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckOfTheConfiguredCollection_AsksForAnApproximateCount()
    {
        // An exact count walks the whole collection on a large one; the check only needs an answer.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.HealthCheckCollection = "memories"; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];

        ctx.Time.Advance(TimeSpan.FromSeconds(80));

        await PoolTestContext.WaitUntilAsync(() => first.Invoker.LastRequest is CountPoints);
        var count = (CountPoints)first.Invoker.LastRequest!;
        Assert.Equal(("memories", false), (count.CollectionName, count.Exact));
    }

    [Fact]
    public async Task HousekeepAsync_FirstPassAfterTheLifetime_ClosesTheIdleConnectionInThatPass()
    {
        // Lifetime 1,000 s without jitter; the timer's passes run every 15 s (990 s, then 1,005 s), so the pass below
        // is the first to find the connection expired, and no later one comes. Fake time runs every pass a jump
        // covers at the jump's end, so it moves one period at a time.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.ConnectionLifetime = TimeSpan.FromSeconds(1000); o.HealthCheckInterval = TimeSpan.FromHours(2); }, random: new FixedRandom(0.0));
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];
        var period = QdrantConnectionPool.HousekeepingPeriod(ctx.Options);
        for (var elapsed = TimeSpan.Zero; elapsed + period < TimeSpan.FromSeconds(1000); elapsed += period)
        {
            ctx.Time.Advance(period);
        }

        ctx.Time.Advance(TimeSpan.FromSeconds(1000) - (period * Math.Floor(1000 / period.TotalSeconds)));
        Assert.False(first.IsDisposed);

        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed, () => "the expired connection to be closed by the pass that found it");
    }

    [Fact]
    public async Task HousekeepAsync_IdleConnectionFromBeforeAClear_ClosesItAsCleared()
    {
        // The clear runs while the connection is opening: it enters its slot with the old generation, unretired.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 2; });
        ctx.Pool.BeforeConnectionPublished = _ =>
        {
            ctx.Pool.BeforeConnectionPublished = null;
            ctx.Pool.ClearAsync().GetAwaiter().GetResult();
        };
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var stale = ctx.Factory.Opened[0];

        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => stale.IsDisposed, () => "the connection from before the clear to be closed");
        Assert.Contains(ctx.Logs.GetSnapshot(), r => r.Id.Id == 4 && r.Message.EndsWith(": cleared", StringComparison.Ordinal));
    }

    // Leases an idle connection on the lock-free fast path; its name is what the leak warning's stack must show.
    private static async Task<QdrantLease> AcquireIdleForLeakTestAsync(QdrantConnectionPool pool) => await pool.AcquireAsync();
}
