using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using QdrantPool.Telemetry;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Telemetry;

public sealed class PoolMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly string _poolName = "metrics-" + Guid.NewGuid().ToString("N")[..8];

    public PoolMetricsTests()
    {
        // Only this test's pool: other tests' pools (running in parallel) stay unobserved, so their hot paths, and the
        // allocation test in particular, never pay for this listener.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName &&
                instrument.Meter.Tags?.Any(t => t.Key == PoolMetrics.PoolNameTag && Equals(t.Value, _poolName)) == true)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    [Fact]
    public async Task UseTime_ListenedOnTheSystemClock_TimesEveryLeaseOnThePreciseClock()
    {
        // The default bypass window lets the pool stamp leases with the coarse tick count; a listener on use_time must
        // switch it to the precise clock, or every lease shorter than a tick would read zero.
        var held = TimeSpan.FromMicroseconds(50);
        await using var pool = PoolTestContext.CreateOnSystemClock(new TestConnectionFactory(), o => { o.Name = _poolName; o.MinSize = 1; });
        await pool.InitializeAsync(CancellationToken.None);

        for (var i = 0; i < 20; i++)
        {
            var lease = await pool.AcquireAsync();
            var lent = Stopwatch.GetTimestamp();
            SpinWait.SpinUntil(() => Stopwatch.GetElapsedTime(lent) >= held);
            await lease.DisposeAsync();
        }

        var useTimes = Named("db.client.connection.use_time").Select(m => m.Value).ToList();
        Assert.Equal(20, useTimes.Count);
        Assert.All(useTimes, seconds => Assert.InRange(seconds, held.TotalSeconds, double.MaxValue));
    }

    [Fact]
    public async Task ObservableGauges_PoolWithIdleAndUsed_ReportCountsByState()
    {
        await using var ctx = Create(o => { o.MinSize = 2; o.MaxSize = 4; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await using var lease = await ctx.Pool.AcquireAsync();

        _listener.RecordObservableInstruments();

        Assert.Equal(1, Last("db.client.connection.count", ("db.client.connection.state", "idle")));
        Assert.Equal(1, Last("db.client.connection.count", ("db.client.connection.state", "used")));
        Assert.Equal(4, Last("db.client.connection.max"));
        Assert.Equal(4, Last("db.client.connection.idle.max"));
        Assert.Equal(2, Last("db.client.connection.idle.min"));
        Assert.Equal(0, Last("db.client.connection.pending_requests"));
    }

    [Fact]
    public async Task Histograms_AcquireAndRelease_RecordWaitUseAndCreateTimes()
    {
        await using var ctx = Create();
        var lease = await ctx.Pool.AcquireAsync();
        ctx.Time.Advance(TimeSpan.FromMilliseconds(250));
        await lease.DisposeAsync();

        Assert.Equal(0.25, Last("db.client.connection.use_time"), 6);
        Assert.Single(Named("db.client.connection.wait_time"));
        Assert.Single(Named("db.client.connection.create_time"));
    }

    [Fact]
    public async Task Timeouts_AcquireGivesUp_CountedOnce()
    {
        await using var ctx = Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(1); });
        await using var held = await ctx.Pool.AcquireAsync();
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        _listener.RecordObservableInstruments();
        Assert.Equal(1, Last("db.client.connection.pending_requests"));
        await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(250));

        await Assert.ThrowsAsync<QdrantPoolExhaustedException>(() => waiting);
        Assert.Equal(1, Named("db.client.connection.timeouts").Sum(m => m.Value));
    }

    [Fact]
    public async Task PoolCounters_FailedCheckAndFailedOpen_CountedByTierReasonAndOutcome()
    {
        var factory = new TestConnectionFactory();
        await using var ctx = Create(o => o.MinSize = 1, factory);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable);
        factory.BeforeOpen = (_, _) => throw new HttpRequestException("refused");

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().FailedCreations >= 1);

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("deep", "unhealthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
        var recycled = Assert.Single(Named("qdrant.pool.connections.recycled"));
        Assert.Equal("health_check_failed", recycled.Tags["qdrant.pool.recycle.reason"]);
        Assert.True(Named("qdrant.pool.connections.create_failures").Sum(m => m.Value) >= 1);
    }

    [Fact]
    public async Task AcquireWait_PoolFull_StartsActivityNamedForThePool()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = ListenToPoolActivities(activities);
        await using var ctx = Create(o => o.MaxSize = 1);
        var held = await ctx.Pool.AcquireAsync();
        var waiting = ctx.Pool.AcquireAsync().AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        await held.DisposeAsync();
        await (await waiting).DisposeAsync();

        Assert.Contains(activities, a => a.OperationName == "qdrant.pool.acquire_wait" && (string?)a.GetTagItem(PoolMetrics.PoolNameTag) == ctx.Pool.Name);
    }

    [Fact]
    public async Task Constructor_SharedMeterFactory_EachPoolReportsItsOwnFigures()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var names = new[] { _poolName + "-a", _poolName + "-b" };
        var seen = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "db.client.connection.max" && instrument.Meter.Tags?.Any(t => names.Contains(t.Value as string)) == true)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == PoolMetrics.PoolNameTag)
                {
                    seen[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();

        await using var first = new QdrantConnectionPool(new QdrantConnectionPoolOptions { Name = names[0], Endpoint = new Uri("http://127.0.0.1:6334"), MaxSize = 3 }, meterFactory: meterFactory);
        await using var second = new QdrantConnectionPool(new QdrantConnectionPoolOptions { Name = names[1], Endpoint = new Uri("http://127.0.0.1:6334"), MaxSize = 7 }, meterFactory: meterFactory);
        listener.RecordObservableInstruments();

        Assert.Equal(3, seen[names[0]]);
        Assert.Equal(7, seen[names[1]]);
    }

    [Theory]
    [InlineData(false, "timeout")]
    [InlineData(true, "canceled")]
    public async Task AcquireWait_EndsWithoutALease_ActivityMarkedAsError(bool cancel, string description)
    {
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = ListenToPoolActivities(activities);
        await using var ctx = Create(o => { o.MaxSize = 1; o.AcquireTimeout = TimeSpan.FromSeconds(1); });
        await using var held = await ctx.Pool.AcquireAsync();
        using var cts = new CancellationTokenSource();
        var waiting = ctx.Pool.AcquireAsync(cts.Token).AsTask();
        await PoolTestContext.WaitUntilAsync(() => ctx.Pool.GetStats().PendingWaiters == 1);

        if (cancel)
        {
            await cts.CancelAsync();
        }
        else
        {
            await ctx.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromMilliseconds(250));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => waiting);
        // The first acquire waited for the pool's first connection too; its span ended well.
        await PoolTestContext.WaitUntilAsync(
            () => activities.Count(a => (string?)a.GetTagItem(PoolMetrics.PoolNameTag) == ctx.Pool.Name) == 2,
            () => "both acquire-wait spans to end");
        var failed = Assert.Single(activities, a => (string?)a.GetTagItem(PoolMetrics.PoolNameTag) == ctx.Pool.Name && a.Status != ActivityStatusCode.Unset);
        Assert.Equal((ActivityStatusCode.Error, description), (failed.Status, failed.StatusDescription));
    }

    [Fact]
    public async Task HealthChecks_MediumCheckPasses_CountedAsMediumHealthy()
    {
        await using var ctx = Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        await (await ctx.Pool.AcquireAsync()).DisposeAsync();

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("medium", "healthy", 1.0), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"], check.Value));
    }

    [Fact]
    public async Task HealthChecks_MediumCheckFails_CountedAsMediumUnhealthy()
    {
        await using var ctx = Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable);
        ctx.Time.Advance(TimeSpan.FromSeconds(1));

        await (await ctx.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("medium", "unhealthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
        var retired = Assert.Single(Named("qdrant.pool.connections.recycled"));
        Assert.Equal("health_check_failed", retired.Tags["qdrant.pool.recycle.reason"]);
    }

    [Fact]
    public async Task HealthChecks_PoolHealthCheckPasses_CountedAsMediumHealthy()
    {
        await using var ctx = Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("medium", "healthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
    }

    [Fact]
    public async Task HealthChecks_PoolHealthCheckKeyRejected_CountedAsMediumUnhealthy()
    {
        await using var ctx = Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unauthenticated);

        await ctx.Pool.CheckHealthAsync(CancellationToken.None);

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("medium", "unhealthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
    }

    [Fact]
    public async Task HealthChecks_DeepCheckPasses_CountedAsDeepHealthy()
    {
        await using var ctx = Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();
        await PoolTestContext.WaitUntilAsync(() => Named("qdrant.pool.health_checks").Any());

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("deep", "healthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
    }

    [Fact]
    public async Task HealthChecks_DeepCheckCollectionMissing_CountedAsDeepUnhealthy()
    {
        await using var ctx = Create(o => { o.MinSize = 1; o.HealthCheckCollection = "memories"; });
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened[0].Handler = (_, _) => throw PoolTestContext.Rpc(StatusCode.NotFound);

        ctx.Time.Advance(TimeSpan.FromSeconds(61));
        await ctx.Pool.HousekeepAsync();
        await PoolTestContext.WaitUntilAsync(() => Named("qdrant.pool.health_checks").Any());

        var check = Assert.Single(Named("qdrant.pool.health_checks"));
        Assert.Equal(("deep", "unhealthy"), (check.Tags["qdrant.pool.health_check.tier"], check.Tags["qdrant.pool.health_check.outcome"]));
    }

    public void Dispose() => _listener.Dispose();

    private PoolTestContext Create(Action<QdrantConnectionPoolOptions>? configure = null, TestConnectionFactory? factory = null) =>
        PoolTestContext.Create(
            o =>
            {
                configure?.Invoke(o);
                o.Name = _poolName;
            },
            factory);

    /// <summary>Records every activity of the pool's source as it stops (all pools': filter by this test's pool name).</summary>
    private static ActivityListener ListenToPoolActivities(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == QdrantConnectionPool.TelemetryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, dictionary));
    }

    // Other tests' pools run in parallel: only this test's pool counts.
    private List<(string Name, double Value, Dictionary<string, object?> Tags)> Named(string name) =>
        _measurements.Where(m => m.Name == name && Equals(m.Tags.GetValueOrDefault(PoolMetrics.PoolNameTag), _poolName)).ToList();

    private double Last(string name, (string Key, string Value)? tag = null) =>
        Named(name).Last(m => tag is null || Equals(m.Tags.GetValueOrDefault(tag.Value.Key), tag.Value.Value)).Value;
}
