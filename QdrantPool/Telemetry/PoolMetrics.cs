using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QdrantPool.Telemetry;

/// <summary>
/// The pool's instruments: OpenTelemetry's <c>db.client.connection.*</c> names (semantic conventions, development
/// status) tagged with <c>db.client.connection.pool.name</c>, plus pool-specific counters under <c>qdrant.pool.*</c>.
/// </summary>
internal sealed class PoolMetrics : IDisposable
{
    public const string PoolNameTag = "db.client.connection.pool.name";

    // Acquire waits are usually sub-millisecond; the conventions' default advice starts at 1 ms, too coarse for them.
    private static readonly double[] WaitBuckets = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
    private static readonly double[] CallBuckets = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _poolTag;

    public PoolMetrics(QdrantConnectionPool pool, string poolName, int maxSize, int minSize, IMeterFactory? meterFactory)
    {
        _poolTag = new(PoolNameTag, poolName);
        KeyValuePair<string, object?>[] meterTags = [_poolTag];
        if (meterFactory is null)
        {
            _meter = new Meter(QdrantConnectionPool.TelemetryName, null, meterTags);
            _ownsMeter = true;
        }
        else
        {
            // The pool name in the meter's tags gives each pool its own Meter from the factory's cache.
            _meter = meterFactory.Create(new MeterOptions(QdrantConnectionPool.TelemetryName) { Tags = meterTags });
        }

        var idle = new KeyValuePair<string, object?>("db.client.connection.state", "idle");
        var used = new KeyValuePair<string, object?>("db.client.connection.state", "used");
        var poolTag = _poolTag;
        _meter.CreateObservableUpDownCounter(
            "db.client.connection.count",
            () =>
            {
                var (idleCount, usedCount) = pool.CountConnections();
                return new[]
                {
                    new Measurement<int>(idleCount, poolTag, idle),
                    new Measurement<int>(usedCount, poolTag, used),
                };
            },
            "{connection}",
            "Connections open, by state: idle (no lease) or used (at least one lease).");
        _meter.CreateObservableUpDownCounter("db.client.connection.max", () => new Measurement<int>(maxSize, poolTag), "{connection}", "The most connections the pool opens.");
        _meter.CreateObservableUpDownCounter("db.client.connection.idle.max", () => new Measurement<int>(maxSize, poolTag), "{connection}", "The most idle connections the pool keeps.");
        _meter.CreateObservableUpDownCounter("db.client.connection.idle.min", () => new Measurement<int>(minSize, poolTag), "{connection}", "The fewest connections the pool keeps open.");
        _meter.CreateObservableUpDownCounter("db.client.connection.pending_requests", () => new Measurement<int>(pool.PendingWaiters, poolTag), "{request}", "Callers waiting for a lease.");

        Timeouts = _meter.CreateCounter<long>("db.client.connection.timeouts", "{timeout}", "Acquires that gave up after AcquireTimeout.");
        CreateTime = _meter.CreateHistogram("db.client.connection.create_time", "s", "Time to open a connection.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        WaitTime = _meter.CreateHistogram("db.client.connection.wait_time", "s", "Time spent obtaining a lease.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        UseTime = _meter.CreateHistogram("db.client.connection.use_time", "s", "Time between borrowing a lease and returning it.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        HealthChecks = _meter.CreateCounter<long>("qdrant.pool.health_checks", "{check}", "Health checks run, by tier (fast, medium, deep) and outcome (healthy, unhealthy).");
        Recycled = _meter.CreateCounter<long>("qdrant.pool.connections.recycled", "{connection}", "Connections closed by the pool, by reason.");
        CreateFailures = _meter.CreateCounter<long>("qdrant.pool.connections.create_failures", "{connection}", "Attempts to open a connection that failed.");
    }

    public Counter<long> Timeouts { get; }

    public Histogram<double> CreateTime { get; }

    public Histogram<double> WaitTime { get; }

    public Histogram<double> UseTime { get; }

    public Counter<long> HealthChecks { get; }

    public Counter<long> Recycled { get; }

    public Counter<long> CreateFailures { get; }

    public KeyValuePair<string, object?> PoolTag => _poolTag;

    public void RecordWait(TimeSpan elapsed)
    {
        if (WaitTime.Enabled)
        {
            WaitTime.Record(elapsed.TotalSeconds, _poolTag);
        }
    }

    public void RecordUse(TimeSpan elapsed)
    {
        if (UseTime.Enabled)
        {
            UseTime.Record(elapsed.TotalSeconds, _poolTag);
        }
    }

    public void RecordHealthCheck(string tier, bool healthy) =>
        HealthChecks.Add(1, _poolTag, new("qdrant.pool.health_check.tier", tier), new("qdrant.pool.health_check.outcome", healthy ? "healthy" : "unhealthy"));

    public void RecordRetired(string reason) => Recycled.Add(1, _poolTag, new("qdrant.pool.recycle.reason", reason));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>The source of acquire-wait spans; one for every pool in the process.</summary>
    public static readonly ActivitySource ActivitySource = new(QdrantConnectionPool.TelemetryName);
}
