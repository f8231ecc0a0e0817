using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using QdrantPool.Connections;
using QdrantPool.Leasing;
using QdrantPool.Resilience;
using QdrantPool.Telemetry;

namespace QdrantPool;

/// <summary>
/// A pool of Qdrant gRPC connections (one <c>GrpcChannel</c>, one <c>SocketsHttpHandler</c> and so one TCP connection
/// each), lent out as leases. A connection carries up to <see cref="QdrantConnectionPoolOptions.MaxLeasesPerConnection"/>
/// concurrent leases. Borrowing an idle connection takes no lock and allocates nothing; waiters are served first come,
/// first served.
/// </summary>
/// <remarks>
/// The partial files split the pool by job: leasing (acquire, release), selection (which connection a borrower gets),
/// waiting (the queue's use; the queue and its rules are in <c>Leasing/WaiterQueue.cs</c>), lifecycle (open, retire, clear,
/// dispose), housekeeping (lifetime, idleness, background checks, leaks), health and execution. "Retire" is the one verb
/// for taking a connection out of service: a retiring connection lends nothing new and closes once idle.
/// </remarks>
public sealed partial class QdrantConnectionPool : IQdrantConnectionPool
{
    /// <summary>The name of the pool's Meter and ActivitySource, for OpenTelemetry registration.</summary>
    public const string TelemetryName = "QdrantPool";

    private readonly QdrantConnectionPoolOptions _options;
    private readonly IConnectionFactory _factory;
    private readonly TimeProvider _time;
    private readonly CoarseClock _clock;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly PoolMetrics _metrics;
    private readonly AcquireTimeRecorder _acquireTimes = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly int _maxSize;
    private readonly int _minSize;
    private readonly int _maxLeases;
    private readonly long _bypassWindowTicks;
    private readonly bool _captureTraces;
    private readonly bool _coarseLeaseClock;

    // Every open connection sits in one of these slots; null = free. Slots change only by compare-exchange.
    private readonly PooledConnection?[] _slots;

    // Open connections plus connections being opened. Reserved by compare-exchange before the slow open, so the pool
    // never exceeds MaxSize, and given back if the open fails.
    private int _total;
    private int _pendingCreations;
    private int _generation;
    private int _nextConnectionId;
    private int _disposed;

    private long _releases;
    private long _timeouts;
    private long _healthFailures;
    private long _created;
    private long _retired;
    private long _failedCreations;

    /// <summary>Builds a pool over real gRPC channels. Nothing is opened until <see cref="InitializeAsync"/> or the first acquire.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and its value.</exception>
    public QdrantConnectionPool(
        QdrantConnectionPoolOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : this(options, null, loggerFactory, timeProvider, meterFactory, null)
    {
    }

    internal QdrantConnectionPool(
        QdrantConnectionPoolOptions options,
        IConnectionFactory? connectionFactory,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        Random? random = null,
        ResiliencePipeline? pipeline = null)
    {
        QdrantConnectionPoolOptionsValidator.Validate(options);
        _options = options.Clone();
        Name = _options.Name;
        _factory = connectionFactory ?? new GrpcConnectionFactory(_options, loggerFactory);
        _time = timeProvider ?? TimeProvider.System;
        _clock = new CoarseClock(_time);
        _random = random ?? Random.Shared;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<QdrantConnectionPool>();
        _maxSize = _options.MaxSize;
        _minSize = _options.MinSize;
        _maxLeases = _options.MaxLeasesPerConnection;
        _bypassWindowTicks = ToTimestampTicks(_options.ValidationBypassWindow);
        _captureTraces = _options.LeakDetectionThreshold is not null;
        _coarseLeaseClock = _options.ValidationBypassWindow >= TimeSpan.FromMilliseconds(100);
        _slots = new PooledConnection?[_maxSize];
        _metrics = new PoolMetrics(this, Name, _maxSize, _minSize, meterFactory);
        _pipeline = pipeline ?? PoolResilience.Build(_options, _time);
        _waiterCache = new LeaseWaiterCache(this, CachedWaiters);
        _waiters = CreateWaiterQueue();
        _housekeepingTimer = StartHousekeepingTimer();
    }

    /// <inheritdoc />
    public string Name { get; }

    internal QdrantConnectionPoolOptions Options => _options;

    internal int PendingWaiters => _waiters.Count;

    /// <summary>
    /// Scheduling seam for tests: runs after a connection is chosen and before its capacity is taken, on the borrowing
    /// (or dispatching) thread. Null in production.
    /// </summary>
    internal Action<PooledConnection>? AfterConnectionSelected { get; set; }

    /// <summary>Scheduling seam for tests: runs when an opened connection is about to be published. Null in production.</summary>
    internal Action<PooledConnection>? BeforeConnectionPublished { get; set; }

    /// <summary>
    /// Scheduling seam for tests: runs in a release after it looked for a waiter to hand its capacity to and found
    /// none, before it gives the capacity back to the connection. Null in production.
    /// </summary>
    internal Action<PooledConnection>? BeforeCapacityGivenBack { get; set; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    public PoolStats GetStats()
    {
        var (idle, used, leases) = CountConnectionsAndLeases();
        var (average, p95, max) = _acquireTimes.Snapshot();
        return new PoolStats(
            Name,
            _maxSize,
            Volatile.Read(ref _total),
            idle,
            used,
            leases,
            PendingWaiters,
            _acquireTimes.Count,
            Interlocked.Read(ref _releases),
            Interlocked.Read(ref _timeouts),
            Interlocked.Read(ref _healthFailures),
            Interlocked.Read(ref _created),
            Interlocked.Read(ref _retired),
            Interlocked.Read(ref _failedCreations),
            average,
            p95,
            max);
    }

    internal (int Idle, int Used) CountConnections()
    {
        var (idle, used, _) = CountConnectionsAndLeases();
        return (idle, used);
    }

    private (int Idle, int Used, int Leases) CountConnectionsAndLeases()
    {
        int idle = 0, used = 0, leases = 0;
        foreach (var connection in _slots)
        {
            var count = connection?.Leases ?? -1;
            if (count == 0)
            {
                idle++;
            }
            else if (count > 0)
            {
                used++;
                leases += count;
            }
        }

        return (idle, used, leases);
    }

    // Held at long.MaxValue: TimeSpan.MaxValue ("never") in Stopwatch ticks is past the range of a long.
    private long ToTimestampTicks(TimeSpan duration)
    {
        var ticks = duration.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue ? long.MaxValue : (long)ticks;
    }

    /// <summary>
    /// The timestamp <paramref name="duration"/> after <paramref name="now"/>, held at long.MaxValue: an unchecked sum
    /// would wrap round into the past, and a connection with a "never" lifetime would expire at once, every time.
    /// </summary>
    private long TimestampAfter(long now, TimeSpan duration)
    {
        var ticks = ToTimestampTicks(duration);
        return ticks > long.MaxValue - now ? long.MaxValue : now + ticks;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
