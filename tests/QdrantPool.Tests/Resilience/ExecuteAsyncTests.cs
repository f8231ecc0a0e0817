using System.Collections.Concurrent;
using Grpc.Core;
using Polly.CircuitBreaker;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Resilience;

public class ExecuteAsyncTests
{
    [Fact]
    public async Task ExecuteAsync_Succeeds_ReturnsResultAndReleasesLease()
    {
        await using var ctx = PoolTestContext.Create();

        var names = await ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);

        Assert.Empty(names);
        var stats = ctx.Pool.GetStats();
        Assert.Equal((1, 1, 0), (stats.TotalAcquires, stats.TotalReleases, stats.ActiveLeases));
    }

    [Fact]
    public async Task ExecuteAsync_UnavailableTwiceThenOk_RetriesAndSucceeds()
    {
        var calls = 0;
        var factory = new TestConnectionFactory
        {
            CallHandler = (_, _) => Interlocked.Increment(ref calls) <= 2 ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask,
        };
        await using var ctx = PoolTestContext.Create(factory: factory);

        await ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);

        Assert.Equal(3, calls);
        Assert.Equal(0, ctx.Pool.GetStats().ActiveLeases);
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists)]
    public async Task ExecuteAsync_NonTransientStatus_ThrowsAfterOneAttempt(StatusCode code)
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw PoolTestContext.Rpc(code); } };
        await using var ctx = PoolTestContext.Create(factory: factory);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true));

        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 4)]
    public async Task ExecuteAsync_DeadlineExceeded_RetriedOnlyWhenMarkedSafe(bool safe, int expectedCalls)
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw PoolTestContext.Rpc(StatusCode.DeadlineExceeded); } };
        await using var ctx = PoolTestContext.Create(o => o.CircuitBreakerMinimumThroughput = 100, factory);

        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync(async (client, ct) => { await client.ListCollectionsAsync(ct); }, safe));

        Assert.Equal(expectedCalls, calls);
    }

    [Fact]
    public async Task ExecuteAsync_NonGeneric_RunsOperation()
    {
        await using var ctx = PoolTestContext.Create();
        var ran = false;

        await ctx.Pool.ExecuteAsync(async (client, ct) => { await client.ListCollectionsAsync(ct); ran = true; }, idempotent: true);

        Assert.True(ran);
    }

    [Fact]
    public async Task ExecuteAsync_RetriesExhausted_ThrowsLastFailure()
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw PoolTestContext.Rpc(StatusCode.Unavailable); } };
        await using var ctx = PoolTestContext.Create(o => { o.MaxRetryAttempts = 2; o.CircuitBreakerMinimumThroughput = 100; }, factory);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryDelays_FollowExponentialBackoffOnTheTimeProvider()
    {
        var callTimes = new ConcurrentQueue<DateTimeOffset>();
        PoolTestContext? ctx = null;
        var factory = new TestConnectionFactory
        {
            CallHandler = (_, _) =>
            {
                callTimes.Enqueue(ctx!.Time.GetUtcNow());
                return callTimes.Count <= 2 ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask;
            },
        };

        // The bypass window outlasts the test, so the only calls counted are the operation's own (no medium checks).
        await using var context = ctx = PoolTestContext.Create(o => { o.RetryBaseDelay = TimeSpan.FromSeconds(1); o.ValidationBypassWindow = TimeSpan.FromHours(1); }, factory);

        var running = ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);
        await ctx.AdvanceUntilCompletedAsync(running, TimeSpan.FromMilliseconds(50), maxSteps: 400);

        await running;
        var times = callTimes.ToArray();
        Assert.Equal(3, times.Length);
        // Lower bounds are exact (fake time only moves forward in steps); the upper bounds allow for the steps that pass
        // while the retry schedules its delay on the thread pool.
        Assert.InRange(times[1] - times[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(times[2] - times[1], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ExecuteAsync_MaxRetryAttemptsZero_NoRetry()
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => { Interlocked.Increment(ref calls); throw PoolTestContext.Rpc(StatusCode.Unavailable); } };
        await using var ctx = PoolTestContext.Create(o => o.MaxRetryAttempts = 0, factory);

        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ExecuteAsync_QdrantDown_CircuitOpensThenHalfOpensThenCloses()
    {
        var down = true;
        var calls = 0;
        var factory = new TestConnectionFactory
        {
            CallHandler = (_, _) => { Interlocked.Increment(ref calls); return Volatile.Read(ref down) ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask; },
        };
        await using var ctx = PoolTestContext.Create(
            o =>
            {
                o.MaxRetryAttempts = 0;
                o.ValidationBypassWindow = TimeSpan.FromHours(1);
                o.CircuitBreakerMinimumThroughput = 4;
                o.CircuitBreakerFailureRatio = 0.5;
                o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
            },
            factory);
        Task Call() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<RpcException>(Call);
        }

        // Open: fails fast without touching Qdrant, with an exception that names the pool and the setting.
        var open = await Assert.ThrowsAsync<QdrantPoolCircuitOpenException>(Call);
        Assert.Equal(4, calls);
        Assert.IsAssignableFrom<BrokenCircuitException>(open);
        Assert.Contains($"'{ctx.Pool.Name}'", open.Message, StringComparison.Ordinal);
        Assert.Contains("CircuitBreakerBreakDuration, now 5 s", open.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), open.RetryAfter);
        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(open.InnerException).StatusCode);

        // Half-open after the break: one probe goes through; it fails, so the circuit opens again.
        ctx.Time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<RpcException>(Call);
        Assert.Equal(5, calls);
        await Assert.ThrowsAsync<QdrantPoolCircuitOpenException>(Call);

        // Qdrant is back: the next probe succeeds and closes the circuit.
        Volatile.Write(ref down, false);
        ctx.Time.Advance(TimeSpan.FromSeconds(5));
        await Call();
        await Call();
        Assert.Equal(7, calls);
    }

    [Fact]
    public async Task ExecuteAsync_NonTransientFailures_NeverOpenCircuit()
    {
        var factory = new TestConnectionFactory { CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.NotFound) };
        await using var ctx = PoolTestContext.Create(o => o.CircuitBreakerMinimumThroughput = 2, factory);

        for (var i = 0; i < 6; i++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true));
            Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        }
    }

    [Fact]
    public async Task ExecuteAsync_NullOperation_Throws()
    {
        await using var ctx = PoolTestContext.Create();

        await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.Pool.ExecuteAsync<int>(null!, idempotent: true));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.Pool.ExecuteAsync(null!, idempotent: true));
    }
}
