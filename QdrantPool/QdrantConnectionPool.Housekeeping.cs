using QdrantPool.Connections;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    private static readonly TimeSpan MinHousekeepingPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxHousekeepingPeriod = TimeSpan.FromSeconds(15);

    private readonly ITimer _housekeepingTimer;
    private readonly List<(int Slot, long LentAt, System.Diagnostics.StackTrace? Trace)> _leaks = [];
    private int _housekeepingRunning;

    /// <summary>
    /// A quarter of the shortest period housekeeping serves (lifetime, idleness, deep checks, leak threshold), kept
    /// between 100 ms and 15 s, so each is acted on within a quarter of its setting.
    /// </summary>
    internal static TimeSpan HousekeepingPeriod(QdrantConnectionPoolOptions options)
    {
        var shortest = TimeSpan.FromTicks(Math.Min(
            Math.Min(options.ConnectionLifetime.Ticks, options.IdleTimeout.Ticks),
            Math.Min(options.HealthCheckInterval.Ticks, (options.LeakDetectionThreshold ?? TimeSpan.MaxValue).Ticks)));
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, MinHousekeepingPeriod.Ticks, MaxHousekeepingPeriod.Ticks));
    }

    private ITimer StartHousekeepingTimer()
    {
        var period = HousekeepingPeriod(_options);

        // The timer lives as long as the pool: it must not hold on to the ExecutionContext (AsyncLocals, the current
        // Activity) of whoever happened to build the pool.
        using (ExecutionContext.SuppressFlow())
        {
            return _time.CreateTimer(static state => _ = ((QdrantConnectionPool)state!).HousekeepAsync(), this, period, period);
        }
    }

    /// <summary>The deep checks the last housekeeping pass started; housekeeping itself does not wait for them.</summary>
    internal Task DeepChecks { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// One housekeeping pass: retire connections past their lifetime, from an old generation or faulted; prune idle
    /// ones above MinSize; start due deep checks; report leaks; refill to MinSize. Overlapping passes are skipped.
    /// </summary>
    /// <remarks>
    /// Nothing here waits on the network: deep checks run on their own, at most one per connection at a time, so a
    /// hanging server cannot stall the pass (and with it lifetime, pruning and leak reports).
    /// </remarks>
    internal Task HousekeepAsync()
    {
        if (IsDisposed || Interlocked.Exchange(ref _housekeepingRunning, 1) == 1)
        {
            return Task.CompletedTask;
        }

        try
        {
            _clock.Calibrate();
            var now = _time.GetTimestamp();
            var idleTicks = ToTimestampTicks(_options.IdleTimeout);
            var open = 0;
            foreach (var connection in _slots)
            {
                open += connection is { IsClosed: false } ? 1 : 0;
            }

            List<Task>? deepChecks = null;
            foreach (var connection in _slots)
            {
                if (connection is null || connection.IsClosed || IsDisposed)
                {
                    continue;
                }

                if (!CheckFast(connection, now))
                {
                    open -= RetireIfIdle(connection) ? 1 : 0;
                    continue;
                }

                if (open > _minSize && connection.IsIdle && now - connection.LastReleasedAt >= idleTicks)
                {
                    connection.Retire(RetireReasons.Idle);
                    if (RetireIfIdle(connection))
                    {
                        open--;
                        continue;
                    }
                }

                if (now >= connection.NextDeepCheckAt)
                {
                    // Not due again until this check ends and sets the next time: one check per connection at once.
                    connection.NextDeepCheckAt = long.MaxValue;
                    (deepChecks ??= []).Add(DeepCheckAsync(connection));
                }
            }

            if (deepChecks is not null)
            {
                DeepChecks = Task.WhenAll(deepChecks);
            }

            ReportLeaks(now);
            EnsureMinSize();
            if (_waiters.Count > 0)
            {
                Dispatch();
            }
        }
        catch (Exception ex)
        {
            _logger.HousekeepingFailed(Name, ex);
        }
        finally
        {
            Volatile.Write(ref _housekeepingRunning, 0);
        }

        return Task.CompletedTask;
    }

    private void ReportLeaks(long now)
    {
        if (_options.LeakDetectionThreshold is not { } threshold)
        {
            return;
        }

        var lentBefore = now - ToTimestampTicks(threshold);
        foreach (var connection in _slots)
        {
            if (connection is null || connection.IsClosed)
            {
                continue;
            }

            _leaks.Clear();
            connection.CollectLeaks(lentBefore, _leaks);
            foreach (var (_, lentAt, trace) in _leaks)
            {
                _logger.LeaseLeakSuspected(
                    Name,
                    connection.Id,
                    _time.GetElapsedTime(lentAt, now).TotalSeconds,
                    threshold.TotalSeconds,
                    trace?.ToString() ?? "(stack trace not captured)");
            }
        }
    }
}
