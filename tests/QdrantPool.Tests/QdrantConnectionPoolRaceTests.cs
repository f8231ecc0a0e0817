using QdrantPool.Connections;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// Races an outside review found in the pool's state machine, each forced with one of the pool's scheduling seams
/// (a hook run at the exact point) rather than hoped for with sleeps.
/// </summary>
public class QdrantConnectionPoolRaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispatch_ChosenConnectionRetiredBeforeItsLeaseIsTaken_ServesTheWaiterOnceAndLosesNoCapacity()
    {
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var factory = new TestConnectionFactory
        {
            // Past the three: a pass that sees the waiter still queued after the retired connection closed may open a
            // replacement (the pool is below MaxSize); let it, at once.
            BeforeOpen = (attempt, ct) => attempt <= gates.Length ? gates[attempt - 1].Task.WaitAsync(ct) : Task.CompletedTask,
        };
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 3; o.AcquireTimeout = TimeSpan.FromMinutes(5); }, factory);

        // One waiter, three opens in flight: the two extra waiters only start the opens, then leave.
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        using var leaving = new CancellationTokenSource();
        var extra = new[] { ctx.Pool.AcquireAsync(leaving.Token).AsTask(), ctx.Pool.AcquireAsync(leaving.Token).AsTask() };
        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 3);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(extra).WaitAsync(Patience));
        Assert.Equal(1, ctx.Pool.GetStats().PendingWaiters);

        // The first connection is chosen for the waiter; at that moment the other two are published, and the chosen
        // one is retired (a clear, a failed check) before the dispatcher takes its capacity.
        // Other dispatchers (the new connections' own passes) wait until the retirement is done, so that the race is
        // exactly the one described: retired between the choice and the compare-exchange.
        var fired = 0;
        Qdrant.Client.QdrantClient? retiredClient = null;
        using var retired = new ManualResetEventSlim();
        ctx.Pool.AfterConnectionSelected = chosen =>
        {
            if (Interlocked.Exchange(ref fired, 1) == 1)
            {
                retired.Wait(Patience);
                return;
            }

            try
            {
                retiredClient = chosen.Transport.Client;
                gates[1].SetResult();
                gates[2].SetResult();
                SpinWait.SpinUntil(() => ctx.Pool.GetStats() is var s && s.IdleConnections + s.ActiveConnections == 3, Patience);
                chosen.Retire(RetireReasons.Cleared);
            }
            finally
            {
                retired.Set();
            }
        };
        gates[0].SetResult();

        var lease = await waiting.WaitAsync(Patience);
        Assert.NotSame(retiredClient, lease.Client);

        // Served once, from one connection; the retired one closed; the others idle, none still opening; the queue empty.
        await PoolTestContext.WaitUntilAsync(() => factory.Opened[0].IsDisposed, () => "the retired connection to close");
        await WaitForAsync(ctx, s => s.ActiveLeases == 1 && s.PendingWaiters == 0 && s.TotalConnections == s.IdleConnections + 1 && s.IdleConnections >= 1);
        await lease.DisposeAsync();
        var stats = ctx.Pool.GetStats();
        Assert.True(
            (stats.TotalAcquires, stats.TotalReleases, stats.ActiveLeases, stats.PendingWaiters) == (1, 1, 0, 0),
            $"after the lease came back: {stats}");

        // The fast path is still on: a newcomer is served at once, without queueing.
        await using var next = await ctx.Pool.AcquireAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(0, ctx.Pool.GetStats().PendingWaiters);
    }

    [Fact]
    public async Task AcquireAsync_ChosenConnectionTakenByAnotherBorrowerFirst_ChoosesAgainAndNeverOverfillsIt()
    {
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        QdrantLease? other = null;
        ctx.Pool.AfterConnectionSelected = _ =>
        {
            // Another borrower takes the connection's only lease between this one's choice and its compare-exchange.
            ctx.Pool.AfterConnectionSelected = null;
            other = ctx.Pool.AcquireAsync().AsTask().GetAwaiter().GetResult();
        };

        var acquire = ctx.Pool.AcquireAsync().AsTask();

        Assert.False(acquire.IsCompleted);
        Assert.Equal((1, 1), (ctx.Pool.GetStats().ActiveLeases, ctx.Pool.GetStats().PendingWaiters));
        await other!.Value.DisposeAsync();
        await using var lease = await acquire.WaitAsync(Patience);
        Assert.Equal((1, 0), (ctx.Pool.GetStats().ActiveLeases, ctx.Pool.GetStats().PendingWaiters));
    }

    [Fact]
    public async Task ReleaseAsync_RacingANewWaiter_TheWaiterIsAlwaysServedWithoutWaitingForTime()
    {
        // Lost wake-up: the waiter counts itself and then looks for capacity; the releaser gives capacity back and then
        // looks for waiters. With interlocked operations on both sides one of them sees the other; no fake time moves
        // here, so a waiter nobody woke would hang until the patience below runs out.
        await using var ctx = PoolTestContext.Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromMinutes(5); });
        using var start = new Barrier(2);
        for (var round = 0; round < 2_000; round++)
        {
            var held = await ctx.Pool.AcquireAsync();
            Task<QdrantLease>? waiting = null;
            var acquire = Task.Run(() =>
            {
                start.SignalAndWait();
                waiting = ctx.Pool.AcquireAsync().AsTask();
            });
            var release = Task.Run(async () =>
            {
                start.SignalAndWait();
                await held.DisposeAsync();
            });
            await Task.WhenAll(acquire, release).WaitAsync(Patience);

            var lease = await waiting!.WaitAsync(Patience);
            await lease.DisposeAsync();
        }

        var stats = ctx.Pool.GetStats();
        Assert.Equal((4_000L, 4_000L, 0, 0L), (stats.TotalAcquires, stats.TotalReleases, stats.PendingWaiters, stats.TotalTimeouts));
    }

    [Fact]
    public async Task ReleaseAsync_WaiterQueuesBetweenTheReleasesLookAndItsGiveBack_TheReleaseServesIt()
    {
        // The exact interleaving the race above hopes for: the release has looked for a waiter and found none; a caller
        // then queues, and its own look finds the capacity not yet back. Only the release's second look can serve it.
        await using var ctx = PoolTestContext.Create(o => { o.MinSize = 1; o.MaxSize = 1; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        var held = await ctx.Pool.AcquireAsync();
        Task<QdrantLease>? waiting = null;
        var queuedInTheWindow = false;
        ctx.Pool.BeforeCapacityGivenBack = _ =>
        {
            ctx.Pool.BeforeCapacityGivenBack = null;
            waiting = ctx.Pool.AcquireAsync().AsTask();
            queuedInTheWindow = !waiting.IsCompleted && ctx.Pool.GetStats().PendingWaiters == 1;
        };

        await held.DisposeAsync();

        Assert.True(queuedInTheWindow);

        // Fake time stands still: no wait timer and no housekeeping pass comes to serve it.
        await using var lease = await waiting!.WaitAsync(Patience);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((2L, 1L, 0), (stats.TotalAcquires, stats.TotalReleases, stats.PendingWaiters));
    }

    [Fact]
    public async Task DisposeAsync_RunsJustBeforeAnOpenPublishesItsConnection_ThatConnectionIsClosedToo()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory { BeforeOpen = (_, ct) => gate.Task.WaitAsync(ct) };
        var ctx = PoolTestContext.Create(o => o.MaxSize = 1, factory);

        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => factory.Attempts == 1);
        Task? disposing = null;
        ctx.Pool.BeforeConnectionPublished = _ => disposing = ctx.Pool.DisposeAsync().AsTask();
        gate.SetResult();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Patience));
        await PoolTestContext.WaitUntilAsync(() => disposing is not null);
        await disposing!.WaitAsync(Patience);

        var transport = Assert.Single(factory.Opened);
        await PoolTestContext.WaitUntilAsync(() => transport.IsDisposed, () => "the connection opened during disposal to be closed");
        Assert.Equal(0, ctx.Pool.GetStats().TotalConnections);
    }

    [Fact]
    public async Task DisposeAsync_OpenInFlight_CancelsItAndWaitsForIt()
    {
        var opening = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new TestConnectionFactory
        {
            BeforeOpen = async (_, ct) =>
            {
                opening.SetResult(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    ended.SetResult();
                }
            },
        };
        var ctx = PoolTestContext.Create(o => o.MaxSize = 1, factory);
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        var token = await opening.Task.WaitAsync(Patience);

        await ctx.Pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(token.IsCancellationRequested, "the open in flight was not cancelled by DisposeAsync");
        Assert.True(ended.Task.IsCompleted, "DisposeAsync returned before the open in flight ended");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Patience));
        Assert.Equal((0, 0L), (ctx.Pool.GetStats().TotalConnections, ctx.Pool.GetStats().FailedCreations));
    }

    /// <summary>Waits (real time, bounded) for the pool to settle into a shape, then asserts it with the figures seen.</summary>
    private static async Task WaitForAsync(PoolTestContext ctx, Func<PoolStats, bool> settled)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!settled(ctx.Pool.GetStats()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        var stats = ctx.Pool.GetStats();
        Assert.True(settled(stats), $"the pool did not settle: {stats}");
    }
}
