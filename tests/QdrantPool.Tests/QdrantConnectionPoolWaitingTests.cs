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

    [Fact]
    public async Task AcquireAsync_WaiterCancelledWhileALateCheckRuns_TheCheckCannotServeTheNextCallersWait()
    {
        // The waiter outlives its wait in the check's hands: were it reused, the late check would serve whoever waits
        // on it next, and leave that waiter queued behind its own lease.
        using var cts = new CancellationTokenSource();
        var (ctx, secondCheck, cancelled) = await WaiterWhoseLeaseIsCheckedAsync(connections: 2, cancellation: cts.Token);
        await using var _ = ctx;
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));

        var next = ctx.Pool.AcquireAsync().AsTask();
        Assert.Equal(1, ctx.Pool.GetStats().PendingWaiters);
        secondCheck.SetResult();

        await using var lease = await next.WaitAsync(Patience);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1L, 0, 1), (stats.TotalAcquires, stats.PendingWaiters, stats.ActiveLeases));
    }

    [Fact]
    public async Task AcquireAsync_PoolDisposedWhileAWaitersLeaseIsChecked_CheckFailsAndTheWaitFailsAsDisposed()
    {
        var (ctx, secondCheck, waiting) = await WaiterWhoseLeaseIsCheckedAsync(connections: 3);
        await using var _ = ctx;
        var untouched = ctx.Factory.Opened.Single(t => t.Invoker.Calls == 0);

        // Disposal closes the queue, then closes the idle connection: once that is closed, no requeue can succeed.
        var disposing = ctx.Pool.DisposeAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => untouched.IsDisposed);
        secondCheck.SetException(PoolTestContext.Rpc(StatusCode.Unavailable));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Patience));
        await disposing.WaitAsync(Patience);
    }

    [Fact]
    public async Task AcquireAsync_WaiterCancelledWhileItsLeaseIsChecked_ThrowsCanceledAndTheLeaseComesBackUnused()
    {
        using var cts = new CancellationTokenSource();
        var (ctx, _, cancelled) = await WaiterWhoseLeaseIsCheckedAsync(connections: 2, secondCheckHonoursCancellation: true, cancellation: cts.Token);
        await using var _ = ctx;

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.Equal(cts.Token, ex.CancellationToken);

        // Back and idle (the pool's total also counts the replacement still opening for the first connection).
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats() is { IdleConnections: 1, ActiveLeases: 0 });
        var stats = ctx.Pool.GetStats();
        Assert.Equal((0L, 0L, 1L, 0), (stats.TotalAcquires, stats.TotalReleases, stats.HealthCheckFailures, stats.PendingWaiters));
    }

    [Fact]
    public async Task AcquireAsync_WaiterRequeuedAfterAFailedCheck_IsServedBeforeTheCallerThatQueuedMeanwhile()
    {
        var replacements = Gates(2);
        var (ctx, secondCheck, first) = await WaiterWhoseLeaseIsCheckedAsync(connections: 2, replacements);
        await using var _ = ctx;
        var second = ctx.Pool.AcquireAsync().AsTask();
        Assert.Equal(1, ctx.Pool.GetStats().PendingWaiters);

        // The first caller's second lease fails its check too: it goes back to the head of the line.
        secondCheck.SetException(PoolTestContext.Rpc(StatusCode.Unavailable));
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 2);
        replacements[0].SetResult();

        await Task.WhenAny(first, second).WaitAsync(Patience);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        replacements[1].SetResult();
        await (await first).DisposeAsync();
        await (await second.WaitAsync(Patience)).DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_CallerBehindARequeuedWaiterCancels_TheRequeuedWaiterIsStillServed()
    {
        var replacements = Gates(1);
        var (ctx, secondCheck, first) = await WaiterWhoseLeaseIsCheckedAsync(connections: 2, replacements);
        await using var _ = ctx;
        using var cts = new CancellationTokenSource();
        var second = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        secondCheck.SetException(PoolTestContext.Rpc(StatusCode.Unavailable));
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 2);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Patience));
        replacements[0].SetResult();

        await (await first.WaitAsync(Patience)).DisposeAsync();
        Assert.Equal(0, ctx.Pool.GetStats().PendingWaiters);
    }

    [Fact]
    public async Task AcquireAsync_WaiterRequeuedIntoAnEmptyLine_CallersArrivingAfterQueueBehindIt()
    {
        var replacements = Gates(2);
        var (ctx, secondCheck, first) = await WaiterWhoseLeaseIsCheckedAsync(connections: 2, replacements);
        await using var _ = ctx;
        secondCheck.SetException(PoolTestContext.Rpc(StatusCode.Unavailable));
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        var second = ctx.Pool.AcquireAsync().AsTask();
        Assert.Equal(2, ctx.Pool.GetStats().PendingWaiters);
        replacements[0].SetResult();

        await Task.WhenAny(first, second).WaitAsync(Patience);
        Assert.True(first.IsCompletedSuccessfully);
        replacements[1].SetResult();
        await (await first).DisposeAsync();
        await (await second.WaitAsync(Patience)).DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_CancelledAfterAReleaseHandedItTheLease_TheCallerKeepsTheLease()
    {
        await using var ctx = PoolTestContext.Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        using var cts = new CancellationTokenSource();

        // Not awaited until the end, so nothing observes the hand-off before the cancellation comes.
#pragma warning disable CA2012 // awaited once, below
        var waiting = ctx.Pool.AcquireAsync(cts.Token);
#pragma warning restore CA2012
        await held.DisposeAsync();
        cts.Cancel();

        await using var lease = await waiting;
        var stats = ctx.Pool.GetStats();
        Assert.Equal((2L, 0, 1), (stats.TotalAcquires, stats.PendingWaiters, stats.ActiveLeases));
    }

    [Fact]
    public async Task InitializeAsync_TheWaiterItsConnectionWasChosenForLeaves_InitializationStillSucceeds()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory { BeforeOpen = (_, ct) => gate.Task.WaitAsync(ct) };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; }, factory);
        var initializing = ctx.Pool.InitializeAsync(CancellationToken.None).AsTask();
        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 1);
        using var cts = new CancellationTokenSource();
        var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();

        // The opened connection's dispatch chooses it for the waiter; the waiter leaves at that moment.
        ctx.Pool.AfterConnectionSelected = _ => cts.Cancel();
        gate.SetResult();

        await initializing.WaitAsync(Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        ctx.Pool.AfterConnectionSelected = null;
        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.Equal((0L, 0L), (ctx.Pool.GetStats().TotalAcquires, ctx.Pool.GetStats().TotalReleases));
    }

    [Fact]
    public async Task HousekeepAsync_CallersQueuedWhileOpensBackOff_OnePassOpensAConnectionForEach()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) => attempt switch
            {
                1 => Task.CompletedTask,
                2 => throw new HttpRequestException("refused"),
                _ => gate.Task.WaitAsync(ct),
            },
        };
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 3; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await using var held = await ctx.Pool.AcquireAsync();

        // The first caller's open is refused, so opens back off for a second; the second caller queues without one.
        var first = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().FailedCreations == 1);
        var second = ctx.Pool.AcquireAsync().AsTask();
        Assert.Equal((2, 2), (factory.Attempts, ctx.Pool.GetStats().PendingWaiters));

        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        await ctx.Pool.HousekeepAsync();

        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 4, () => $"two opens, one per caller; attempts: {factory.Attempts}");
        gate.SetResult();
        await (await first.WaitAsync(Patience)).DisposeAsync();
        await (await second.WaitAsync(Patience)).DisposeAsync();
    }

    /// <summary>
    /// A caller waiting with a lease under check, and its pool: the first medium check fails at once (so the caller
    /// queues), the second waits for the returned source (ignoring its cancellation, as a server answering late does,
    /// unless <paramref name="secondCheckHonoursCancellation"/>). Replacement connections open as
    /// <paramref name="replacements"/> are completed, in order; past those, never.
    /// </summary>
    private static async Task<(PoolTestContext Context, TaskCompletionSource SecondCheck, Task<QdrantLease> Waiting)> WaiterWhoseLeaseIsCheckedAsync(
        int connections, TaskCompletionSource[]? replacements = null, bool secondCheckHonoursCancellation = false, CancellationToken cancellation = default)
    {
        var secondCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var factory = new TestConnectionFactory
        {
            BeforeOpen = (attempt, ct) =>
                attempt <= connections ? Task.CompletedTask
                : attempt - connections <= (replacements?.Length ?? 0) ? replacements![attempt - connections - 1].Task.WaitAsync(ct)
                : Task.Delay(Timeout.Infinite, ct),
            CallHandler = (_, ct) => Interlocked.Increment(ref calls) switch
            {
                1 => throw PoolTestContext.Rpc(StatusCode.Unavailable),
                2 => secondCheckHonoursCancellation ? secondCheck.Task.WaitAsync(ct) : secondCheck.Task,
                _ => Task.CompletedTask,
            },
        };
        var ctx = PoolTestContext.Create(o => { o.MinSize = connections; o.MaxSize = connections; }, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        var waiting = ctx.Pool.AcquireAsync(cancellation).AsTask();
        await PoolTestContext.WaitUntilAsync(() => Volatile.Read(ref calls) == 2);
        return (ctx, secondCheck, waiting);
    }

    private static TaskCompletionSource[] Gates(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

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
