using Grpc.Core;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>The waiters' queue: races between hand-off, timeout and cancellation, the wait timer, and waits whose lease is checked first.</summary>
public class QdrantConnectionPoolWaitingTests
{
    private const int RaceRounds = 150;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AcquireAsync_TimeoutAndHandOffAtTheSameMoment_LeaseNeverLost()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(1); });
            var held = await ctx.Pool.AcquireAsync();
            var waiting = ctx.Pool.AcquireAsync().AsTask();
            using var start = new Barrier(2);

            var timeout = Task.Run(() => { start.SignalAndWait(); ctx.Time.Advance(TimeSpan.FromSeconds(1)); });
            var release = Task.Run(async () => { start.SignalAndWait(); await held.DisposeAsync(); });
            await Task.WhenAll(timeout, release).WaitAsync(Patience);

            // Either outcome is right; what must hold is that exactly one happened and the lease is back.
            var served = await LeaseOrFailureAsync<QdrantPoolExhaustedException>(waiting);
            AssertSettled(ctx, servedWaiters: served, round);
            Assert.Equal(1 - served, ctx.Pool.GetStats().TotalTimeouts);
        }
    }

    [Fact]
    public async Task AcquireAsync_CancellationAndHandOffAtTheSameMoment_LeaseNeverLost()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
            var held = await ctx.Pool.AcquireAsync();
            using var cts = new CancellationTokenSource();
            var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();
            using var start = new Barrier(2);

            var cancel = Task.Run(() => { start.SignalAndWait(); cts.Cancel(); });
            var release = Task.Run(async () => { start.SignalAndWait(); await held.DisposeAsync(); });
            await Task.WhenAll(cancel, release).WaitAsync(Patience);

            var served = await LeaseOrFailureAsync<OperationCanceledException>(waiting);
            AssertSettled(ctx, servedWaiters: served, round);
            Assert.Equal(0, ctx.Pool.GetStats().TotalTimeouts);
        }
    }

    [Fact]
    public async Task AcquireAsync_ServedWaiterAheadOfAnother_TimerStillTimesOutTheLaterOneOnItsDeadline()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(3); });
        var held = await ctx.Pool.AcquireAsync();
        var first = ctx.Pool.AcquireAsync().AsTask();
        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        var second = ctx.Pool.AcquireAsync().AsTask();

        await held.DisposeAsync();
        var firstLease = await first.WaitAsync(Patience);
        ctx.Time.Advance(TimeSpan.FromSeconds(2));

        // The timer was set for the first waiter's deadline; firing then, it must find the second one not yet due.
        Assert.False(second.IsCompleted);
        Assert.Equal(1, ctx.Pool.GetStats().PendingWaiters);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => second.WaitAsync(Patience));
        Assert.Equal((1, 0), (ctx.Pool.GetStats().TotalTimeouts, ctx.Pool.GetStats().PendingWaiters));
        await firstLease.DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_MiddleWaiterCanceled_OthersServedInTheirOrder()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        using var cts = new CancellationTokenSource();
        var first = ctx.Pool.AcquireAsync().AsTask();
        var middle = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        var last = ctx.Pool.AcquireAsync().AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => middle.WaitAsync(Patience));
        Assert.Equal(2, ctx.Pool.GetStats().PendingWaiters);

        await held.DisposeAsync();
        var firstLease = await first.WaitAsync(Patience);
        Assert.False(last.IsCompleted);
        await firstLease.DisposeAsync();
        await (await last.WaitAsync(Patience)).DisposeAsync();
        AssertSettled(ctx, servedWaiters: 2, round: 0);
    }

    [Fact]
    public async Task AcquireAsync_FirstCheckFailsAndNextIdleConnectionPasses_WaiterServedAfterItsCheck()
    {
        var calls = 0;
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt > 2 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
            CallHandler = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask,
        };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        await using var lease = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);

        var survivor = Assert.Single(ctx.Factory.Opened, t => !t.IsDisposed);
        Assert.Same(survivor.Client, lease.Client);
        Assert.Equal(2, Volatile.Read(ref calls));
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1L, 1L, 0), (stats.TotalAcquires, stats.HealthCheckFailures, stats.PendingWaiters));
    }

    [Fact]
    public async Task AcquireAsync_CanceledWhileItsLeaseIsChecked_LeaseComesBackUnused()
    {
        var calls = 0;
        var checking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt > 2 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
            CallHandler = async (_, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw PoolTestContext.Rpc(StatusCode.Unavailable);
                }

                // The check passes, but only after the caller has given up.
                checking.TrySetResult();
                await gate.Task;
            },
        };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        using var cts = new CancellationTokenSource();

        var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        await checking.Task.WaitAsync(Patience);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        gate.SetResult();

        await ctx.WaitForPoolStateAsync(total: 2, idle: 1, leased: 0);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((0L, 0L), (stats.TotalAcquires, stats.TotalReleases));
    }

    [Fact]
    public async Task AcquireAsync_TwoMoreConnectionsFailTheirCheckWhileWaiting_ThrowsTheCheckFailure()
    {
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt > 3 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
            CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable),
        };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 3; o.MaxSize = 3; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((3L, 0L, 0), (stats.HealthCheckFailures, stats.TotalAcquires, stats.PendingWaiters));
    }

    [Fact]
    public async Task AcquireAsync_WaitingAfterACheckFailedThenTimesOut_NamesTheCheckFailure()
    {
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt > 2 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask,
            CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable),
        };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 2; o.MaxSize = 2; o.AcquireTimeout = TimeSpan.FromSeconds(3); }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().HealthCheckFailures == 2 && ctx.Pool.GetStats().PendingWaiters == 1);
        await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => waiting);
        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
    }

    /// <summary>1 when the wait got a lease (returned to the pool here), 0 when it failed as expected.</summary>
    private static async Task<int> LeaseOrFailureAsync<TException>(Task<QdrantLease> waiting)
        where TException : Exception
    {
        try
        {
            await (await waiting.WaitAsync(Patience)).DisposeAsync();
            return 1;
        }
        catch (TException)
        {
            return 0;
        }
    }

    private static void AssertSettled(PoolTestContext ctx, int servedWaiters, int round)
    {
        var stats = ctx.Pool.GetStats();
        Assert.True(
            stats.ActiveLeases == 0 && stats.IdleConnections == 1 && stats.PendingWaiters == 0 &&
            stats.TotalAcquires == stats.TotalReleases && stats.TotalAcquires == 1 + servedWaiters,
            $"round {round}: {stats} (waiters served: {servedWaiters})");
    }
}
