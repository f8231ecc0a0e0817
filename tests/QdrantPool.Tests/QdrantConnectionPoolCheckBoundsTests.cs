using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>What bounds the health checks: AcquireTimeout bounds an acquire's medium check; deep checks hold up neither housekeeping nor borrowers.</summary>
public class QdrantConnectionPoolCheckBoundsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AcquireAsync_MediumCheckHangsPastAcquireTimeout_FailsAtAcquireTimeoutAndKeepsTheConnection()
    {
        await using var ctx = await IdleConnectionWithHangingChecksAsync(acquireTimeout: TimeSpan.FromSeconds(1), checkTimeout: TimeSpan.FromSeconds(2));
        var factory = ctx.Factory;
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var acquire = ctx.Pool.AcquireAsync().AsTask();
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => acquire.WaitAsync(Patience));

        // Cut short, the check said nothing about the connection: it stays, and no check failure is counted.
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1L, 0L, 0L, 0L), (stats.TotalTimeouts, stats.HealthCheckFailures, stats.TotalAcquires, stats.TotalReleases));
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.False(factory.Opened[0].IsDisposed);
    }

    [Fact]
    public async Task AcquireAsync_QueuedWaitersCheckHangsPastItsDeadline_TimesOutAtItsDeadline()
    {
        // The first check fails at once; the waiter then gets the other connection, whose check hangs.
        var calls = 0;
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt > 2 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
            CallHandler = (_, ct) => Interlocked.Increment(ref calls) == 1 ? throw PoolTestContext.Rpc(Grpc.Core.StatusCode.Unavailable) : Task.Delay(Timeout.Infinite, ct),
        };
        await using var ctx = PoolTestContext.Create(
            o =>
            {
                o.MinSize = 2;
                o.MaxSize = 2;
                o.AcquireTimeout = TimeSpan.FromSeconds(1.5);
                o.MediumHealthCheckTimeout = TimeSpan.FromSeconds(2);
            },
            factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var acquire = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => Volatile.Read(ref calls) == 2);
        ctx.Time.Advance(TimeSpan.FromSeconds(1.5));

        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => acquire.WaitAsync(Patience));
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1L, 1L, 0), (stats.HealthCheckFailures, stats.TotalTimeouts, stats.PendingWaiters));
        Assert.Equal(1, factory.Opened.Take(2).Count(t => t.IsDisposed));
    }

    [Fact]
    public async Task AcquireAsync_WaiterHandedAStaleConnectionAtItsDeadline_TimesOutWithoutCheckingIt()
    {
        // The wait timer fires on whole milliseconds, so a deadline between two is reached before the timer fires.
        var acquireTimeout = TimeSpan.FromSeconds(2) + TimeSpan.FromMicroseconds(500);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory { BeforeOpen = (_, ct) => gate.Task.WaitAsync(ct) };
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = acquireTimeout; }, factory);
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 1);

        // The connection comes as the caller's time runs out, stamped as opened past the bypass window: it needs a
        // check, and no time is left for one.
        ctx.Pool.BeforeConnectionPublished = _ => ctx.Time.Advance(acquireTimeout);
        gate.SetResult();

        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => waiting.WaitAsync(Patience));
        Assert.Equal(0, factory.Opened[0].Invoker.Calls);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1L, 0L, 0L, 0L), (stats.TotalTimeouts, stats.HealthCheckFailures, stats.TotalAcquires, stats.TotalReleases));
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task HousekeepAsync_ConnectionClosedWhileItsDeepCheckRuns_TheCheckFailureIsNotCounted()
    {
        var deepCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var first = ctx.Factory.Opened[0];
        first.Handler = (_, _) => deepCheck.Task;
        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await PoolTestContext.WaitUntilAsync(() => first.Invoker.Calls == 1);

        // A clear closes the idle connection under its check; the check then fails, saying nothing about the server.
        await ctx.Pool.ClearAsync();
        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed);
        deepCheck.SetException(PoolTestContext.Rpc(Grpc.Core.StatusCode.Unavailable));
        await ctx.Pool.DeepChecks.WaitAsync(Patience);

        Assert.Equal(0, ctx.Pool.GetStats().HealthCheckFailures);
    }

    [Fact]
    public async Task AcquireAsync_MediumCheckTimeoutEqualsWhatIsLeft_ItsOwnTimeoutJudgesTheConnection()
    {
        // The check gets its whole own time even though the acquire's deadline falls at the same moment: a check that
        // ran that long says the connection is bad.
        await using var ctx = await IdleConnectionWithHangingChecksAsync(acquireTimeout: TimeSpan.FromSeconds(2), checkTimeout: TimeSpan.FromSeconds(2));
        var factory = ctx.Factory;
        var first = factory.Opened[0];
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var acquire = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => first.Invoker.Calls == 1);
        ctx.Time.Advance(TimeSpan.FromSeconds(2));

        // Its replacement is new, so it is lent unchecked, at the deadline.
        await using var lease = await acquire.WaitAsync(Patience);
        Assert.Same(factory.Opened[1].Client, lease.Client);
        Assert.Equal(1, ctx.Pool.GetStats().HealthCheckFailures);
        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileItsMediumCheckRuns_ThrowsCanceledAndKeepsTheConnection()
    {
        await using var ctx = await IdleConnectionWithHangingChecksAsync(acquireTimeout: TimeSpan.FromSeconds(30), checkTimeout: TimeSpan.FromSeconds(5));
        var factory = ctx.Factory;
        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        using var cts = new CancellationTokenSource();

        var acquire = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        await PoolTestContext.WaitUntilAsync(() => factory.Opened[0].Invoker.Calls == 1);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquire.WaitAsync(Patience));
        Assert.Equal(cts.Token, ex.CancellationToken);

        // The caller left; the check said nothing about the connection: back in the pool, nothing counted.
        var stats = ctx.Pool.GetStats();
        Assert.Equal((0L, 0L, 0L, 0L), (stats.HealthCheckFailures, stats.TotalAcquires, stats.TotalReleases, stats.TotalTimeouts));
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.False(factory.Opened[0].IsDisposed);
    }

    [Fact]
    public async Task AcquireAsync_MediumCheckShorterThanWhatIsLeft_KeepsItsOwnTimeoutAndRetiresTheConnection()
    {
        await using var ctx = await IdleConnectionWithHangingChecksAsync(acquireTimeout: TimeSpan.FromSeconds(10), checkTimeout: TimeSpan.FromSeconds(2));
        var first = ctx.Factory.Opened[0];
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var acquire = ctx.Pool.AcquireAsync().AsTask();
        ctx.Time.Advance(TimeSpan.FromSeconds(2));

        // Its own timeout ran out: a failed check, the connection retired and replaced, the caller still waiting.
        await PoolTestContext.WaitUntilAsync(() => first.IsDisposed && ctx.Pool.GetStats().HealthCheckFailures == 1);
        await using var lease = await acquire.WaitAsync(Patience);
        Assert.NotSame(first.Client, lease.Client);
    }

    [Fact]
    public async Task HousekeepAsync_DeepChecksHang_PassEndsWithoutWaitingForThem()
    {
        var deepChecks = new HangingDeepChecks();
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 3; o.MaxSize = 3; }, deepChecks.Factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(61));

        await ctx.Pool.HousekeepAsync().WaitAsync(Patience);

        // All three checks started in the one pass, none waited for.
        Assert.Equal(3, deepChecks.Calls);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckHangsOnTheOnlyExclusiveConnection_BorrowerStillGetsIt()
    {
        var deepChecks = new HangingDeepChecks();
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; o.MaxLeasesPerConnection = 1; }, deepChecks.Factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(61));

        _ = ctx.Pool.HousekeepAsync();
        await deepChecks.Started.WaitAsync(Patience);

        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);
        Assert.Same(ctx.Factory.Opened[0].Client, lease.Client);
    }

    [Fact]
    public async Task AcquireAsync_DuringADeepCheckOnAnIdleSharedConnection_OpensNoSecondConnection()
    {
        // The second socket of an idle pool: a deep check used to hold a lease, so a borrower (say the /health probe's
        // check) arriving meanwhile found every connection "carrying leases" and opened another in the background.
        var deepChecks = new HangingDeepChecks();
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 5; o.MaxLeasesPerConnection = 64; }, deepChecks.Factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        _ = ctx.Pool.HousekeepAsync();
        await deepChecks.Started.WaitAsync(Patience);

        await using (var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience))
        {
            Assert.Equal(1, ctx.Pool.GetStats().TotalConnections);
        }

        Assert.Equal(1, deepChecks.Factory.Attempts);
    }

    [Fact]
    public async Task HousekeepAsync_DeepCheckStillRunning_NextPassDoesNotStartAnother()
    {
        var deepChecks = new HangingDeepChecks();
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; o.DeepHealthCheckTimeout = TimeSpan.FromMinutes(10); }, deepChecks.Factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(61));

        await ctx.Pool.HousekeepAsync();
        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();

        Assert.Equal(1, deepChecks.Calls);
    }

    /// <summary>One initialized connection, every call to which hangs until cancelled: each medium check runs into a bound.</summary>
    private static async Task<PoolTestContext> IdleConnectionWithHangingChecksAsync(TimeSpan acquireTimeout, TimeSpan checkTimeout)
    {
        var factory = new TestConnectionFactory { CallHandler = (_, ct) => Task.Delay(Timeout.Infinite, ct) };
        var ctx = PoolTestContext.Create(
            o =>
            {
                o.MinSize = 1;
                o.MaxSize = 1;
                o.AcquireTimeout = acquireTimeout;
                o.MediumHealthCheckTimeout = checkTimeout;
            },
            factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        return ctx;
    }

    /// <summary>
    /// A factory whose deep checks (Collections/List) hang until cancelled, while every other call answers at once:
    /// counts the deep checks and signals the first.
    /// </summary>
    private sealed class HangingDeepChecks
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public HangingDeepChecks()
        {
            Factory = new TestConnectionFactory
            {
                CallHandler = (method, ct) =>
                {
                    if (method != "/qdrant.Collections/List")
                    {
                        return Task.CompletedTask;
                    }

                    Interlocked.Increment(ref _calls);
                    _started.TrySetResult();
                    return Task.Delay(Timeout.Infinite, ct);
                },
            };
        }

        public TestConnectionFactory Factory { get; }

        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Completes when the first deep check has started (and hangs).</summary>
        public Task Started => _started.Task;
    }
}
