using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace QdrantPool.Tests.Support;

/// <summary>A pool under test with its fake time, fake connections and captured logs.</summary>
internal sealed class PoolTestContext : IAsyncDisposable
{
    private static readonly TimeSpan ConditionTimeout = TimeSpan.FromSeconds(30);

    private PoolTestContext(QdrantConnectionPool pool, TestConnectionFactory factory, FakeTimeProvider time, FakeLogCollector logs, QdrantConnectionPoolOptions options)
    {
        Pool = pool;
        Factory = factory;
        Time = time;
        Logs = logs;
        Options = options;
    }

    public QdrantConnectionPool Pool { get; }

    public TestConnectionFactory Factory { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; }

    public QdrantConnectionPoolOptions Options { get; }

    /// <summary>
    /// Builds a pool on a test factory. Defaults suit most tests: MinSize 0, MaxSize 2, exclusive leases, retries
    /// without delay; each pool gets a unique name so metric listeners can tell parallel tests apart.
    /// </summary>
    public static PoolTestContext Create(Action<QdrantConnectionPoolOptions>? configure = null, TestConnectionFactory? factory = null, Random? random = null)
    {
        var options = TestOptions(configure);
        factory ??= new TestConnectionFactory();
        var time = new FakeTimeProvider();
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        var pool = new QdrantConnectionPool(options, factory, loggerFactory, time, null, random ?? new Random(42));
        return new PoolTestContext(pool, factory, time, logs, options);
    }

    /// <summary>
    /// A pool with the same defaults on the real system clock, for what fake time cannot show: the pool reads the
    /// operating system's coarse tick count only when its clock is <see cref="TimeProvider.System"/>.
    /// </summary>
    public static QdrantConnectionPool CreateOnSystemClock(TestConnectionFactory factory, Action<QdrantConnectionPoolOptions>? configure = null) =>
        new(TestOptions(configure), factory, null, TimeProvider.System, null, new Random(42));

    private static QdrantConnectionPoolOptions TestOptions(Action<QdrantConnectionPoolOptions>? configure)
    {
        var options = new QdrantConnectionPoolOptions
        {
            Name = "test-" + Guid.NewGuid().ToString("N")[..8],
            Endpoint = new Uri("http://127.0.0.1:6334"),
            MinSize = 0,
            MaxSize = 2,
            MaxLeasesPerConnection = 1,
            RetryBaseDelay = TimeSpan.Zero,
            UseRetryJitter = false,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Npgsql's habit: one line that pins the pool's shape.</summary>
    public void AssertPoolState(int total, int idle, int leased)
    {
        var stats = Pool.GetStats();
        Assert.Equal((total, idle, leased), (stats.TotalConnections, stats.IdleConnections, stats.ActiveLeases));
    }

    /// <summary>Waits (real time, bounded) until the pool reaches a shape: background opens and closes are asynchronous.</summary>
    public Task WaitForPoolStateAsync(int total, int idle, int leased) =>
        WaitUntilAsync(() =>
        {
            var stats = Pool.GetStats();
            return stats.TotalConnections == total && stats.IdleConnections == idle && stats.ActiveLeases == leased;
        }, () => $"pool state (total, idle, leased) = ({total}, {idle}, {leased}); was {Pool.GetStats()}");

    public static async Task WaitUntilAsync(Func<bool> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + ConditionTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + (describe?.Invoke() ?? "the condition"));
            }

            await Task.Delay(2);
        }
    }

    /// <summary>
    /// Moves fake time on in steps until <paramref name="task"/> finishes: a waiter registers its timer a moment after
    /// it is counted as waiting, so one big jump could land before the timer exists.
    /// </summary>
    public async Task AdvanceUntilCompletedAsync(Task task, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            Time.Advance(step);
            await Task.WhenAny(task, Task.Delay(5));
        }

        Assert.True(task.IsCompleted, $"The task did not finish after {maxSteps} steps of {step}.");
    }

    public static RpcException Rpc(StatusCode code) => new(new Status(code, $"test {code}"));

    /// <summary>
    /// Disposes the pool. A test that failed with leases still out would wait forever for a drain bound timed on fake
    /// time, which only the test moves: if disposal has not ended after a moment, fake time is moved past the bound.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var disposing = Pool.DisposeAsync().AsTask();
        for (var i = 0; i < 100 && !disposing.IsCompleted; i++)
        {
            if (await Task.WhenAny(disposing, Task.Delay(20)) != disposing)
            {
                Time.Advance(Options.DisposeDrainTimeout);
            }
        }

        await disposing;
    }
}
