using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

/// <summary>
/// Which clock stamps leases. On the system clock the pool reads the coarse tick count (a few milliseconds) only where
/// nothing it times needs finer: never with a bypass window below 100 ms, never while use_time is listened to
/// (<c>PoolMetricsTests</c>). Fake time drives both clocks alike, so these tests run on the real one.
/// </summary>
public class QdrantConnectionPoolLeaseClockTests
{
    private const int Borrows = 20;

    [Fact]
    public async Task AcquireAsync_ZeroBypassWindowOnTheSystemClock_ChecksEveryBorrowEvenWithinOneMillisecond()
    {
        var factory = new TestConnectionFactory();
        await using var pool = PoolTestContext.CreateOnSystemClock(factory, o => { o.MinSize = 1; o.ValidationBypassWindow = TimeSpan.Zero; });
        await pool.InitializeAsync(CancellationToken.None);

        for (var i = 0; i < Borrows; i++)
        {
            await using var lease = await pool.AcquireAsync();
        }

        // A coarse stamp would read the same tick at the release and at the next borrow, and skip the check.
        Assert.Equal(Borrows, factory.Opened[0].Invoker.Calls);
    }
}
