using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using QdrantPool;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Listens to every pool's meter in the process and keeps, per pool name, the health checks (and failed ones) and
/// the connections closed by reason; each benchmark run has its own pool name, so its figures are its own.
/// </summary>
internal sealed class PoolMeterWatcher : IDisposable
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, PoolCounts> _pools = new(StringComparer.Ordinal);

    public PoolMeterWatcher()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && instrument.Name is "qdrant.pool.health_checks" or "qdrant.pool.connections.recycled" or "qdrant.pool.connections.create_failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public PoolCounts For(string poolName) => _pools.GetOrAdd(poolName, _ => new PoolCounts());

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        string? outcome = null;
        string? reason = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case PoolNameTag: pool = tag.Value as string; break;
                case "qdrant.pool.health_check.outcome": outcome = tag.Value as string; break;
                case "qdrant.pool.recycle.reason": reason = tag.Value as string; break;
            }
        }

        // The pool's name is also a tag of its meter when it did not come with the measurement.
        pool ??= instrument.Meter.Tags?.FirstOrDefault(t => t.Key == PoolNameTag).Value as string;
        if (pool is null)
        {
            return;
        }

        var counts = For(pool);
        switch (instrument.Name)
        {
            case "qdrant.pool.health_checks":
                counts.AddHealthCheck(value, failed: outcome == "unhealthy");
                break;
            case "qdrant.pool.connections.recycled":
                counts.AddRecycled(reason ?? "unknown", value);
                break;
            default:
                counts.AddCreateFailures(value);
                break;
        }
    }
}

/// <summary>One pool's counts, as the meter reported them.</summary>
internal sealed class PoolCounts
{
    private readonly ConcurrentDictionary<string, long> _recycled = new(StringComparer.Ordinal);
    private long _healthChecks;
    private long _healthCheckFailures;
    private long _createFailures;

    public long HealthChecks => Interlocked.Read(ref _healthChecks);

    public long HealthCheckFailures => Interlocked.Read(ref _healthCheckFailures);

    public long CreateFailures => Interlocked.Read(ref _createFailures);

    public IReadOnlyDictionary<string, long> Recycled => new SortedDictionary<string, long>(_recycled, StringComparer.Ordinal);

    public void AddHealthCheck(long count, bool failed)
    {
        Interlocked.Add(ref _healthChecks, count);
        if (failed)
        {
            Interlocked.Add(ref _healthCheckFailures, count);
        }
    }

    public void AddRecycled(string reason, long count) => _recycled.AddOrUpdate(reason, count, (_, old) => old + count);

    public void AddCreateFailures(long count) => Interlocked.Add(ref _createFailures, count);
}
