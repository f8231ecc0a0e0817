using System.Runtime.ExceptionServices;
using QdrantPool.Connections;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    // After a failed open, wait this long before opening again while other connections still serve; otherwise a
    // refused connection would be retried in a tight loop for as long as callers wait.
    private static readonly TimeSpan CreationBackoff = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Cancelled by DisposeAsync: opens in flight stop. Set when the last open in flight ends after disposal began.
    private readonly CancellationTokenSource _disposing = new();
    private readonly TaskCompletionSource _opensEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _jitterLock = new();
    private long _lastCreationFailureAt;

    /// <inheritdoc />
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        // Counted up front: an open that fails at once gives its capacity straight back, so "while below MinSize"
        // would never end against a server that refuses connections.
        var opening = new List<Task<Exception?>>();
        for (var missing = _minSize - Volatile.Read(ref _total); missing > 0 && TryReserveCreation(ignoreBackoff: true); missing--)
        {
            opening.Add(OpenConnectionAsync());
        }

        var failures = (await Task.WhenAll(opening).WaitAsync(cancellationToken).ConfigureAwait(false)).OfType<Exception>().ToList();
        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        _logger.Initialized(Name, Volatile.Read(ref _total), _options.Endpoint);
    }

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var generation = Interlocked.Increment(ref _generation);
        _logger.Cleared(Name, generation);

        // Idle connections close now; leased ones are retired and close when their last lease comes back.
        foreach (var connection in _slots)
        {
            if (connection is not null)
            {
                connection.Retire(RetireReasons.Cleared);
                RetireIfIdle(connection);
            }
        }

        EnsureMinSize();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Opens in flight stop now rather than at their AcquireTimeout.
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _housekeepingTimer.DisposeAsync().ConfigureAwait(false);
        CompleteChain(
            _waiters.Close(),
            new ObjectDisposedException(GetType().FullName, $"The Qdrant connection pool '{Name}' was disposed while waiting for a lease."));

        // Wait for the opens in flight to end, so the sweeps below see every connection they published. One that
        // publishes after a sweep passed its slot closes its own connection (OpenConnectionAsync); this wait only makes
        // disposal end with every socket closed.
        if (Volatile.Read(ref _pendingCreations) > 0)
        {
            try
            {
                await _opensEnded.Task.WaitAsync(_options.DisposeDrainTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // An open that ignores cancellation: it closes its own connection when it ends.
            }
        }

        foreach (var connection in _slots)
        {
            if (connection is not null)
            {
                connection.Retire(RetireReasons.Disposed);
                RetireIfIdle(connection);
            }
        }

        SignalDrainedIfIdle();
        try
        {
            await _drained.Task.WaitAsync(_options.DisposeDrainTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.DrainTimedOut(Name, CountConnectionsAndLeases().Leases, _options.DisposeDrainTimeout.TotalSeconds);
        }

        // Past the drain bound: close what is still leased. Its borrowers' calls fail; their releases do nothing.
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } connection)
            {
                connection.ForceClose();
                Interlocked.Decrement(ref _total);
                _logger.ConnectionRetired(Name, connection.Id, RetireReasons.Disposed);
                connection.Transport.Dispose();
            }
        }

        // _disposing is left to the collector: an open that ignored its cancellation may still link to its token.
        _metrics.Dispose();
    }

    /// <summary>Opens connections in the background until MinSize are open or opening.</summary>
    private void EnsureMinSize()
    {
        for (var missing = _minSize - Volatile.Read(ref _total); missing > 0 && TryStartCreation(onlyIfNonePending: false); missing--)
        {
        }
    }

    /// <summary>Reserves capacity and opens a connection on the thread pool, off every caller's path.</summary>
    private bool TryStartCreation(bool onlyIfNonePending)
    {
        if (onlyIfNonePending && Volatile.Read(ref _pendingCreations) > 0)
        {
            return false;
        }

        if (!TryReserveCreation(ignoreBackoff: false))
        {
            return false;
        }

        // preferLocal: false and no ExecutionContext: the open must not run inline under a caller's lock or carry its Activity.
        ThreadPool.UnsafeQueueUserWorkItem(static pool => _ = pool.OpenConnectionAsync(), this, preferLocal: false);
        return true;
    }

    /// <summary>Takes one unit of the MaxSize budget before any I/O; <see cref="OpenConnectionAsync"/> gives it back on failure.</summary>
    private bool TryReserveCreation(bool ignoreBackoff)
    {
        if (IsDisposed)
        {
            return false;
        }

        var total = Volatile.Read(ref _total);
        if (total >= _maxSize)
        {
            // The common answer on a busy pool's fast path: nothing more to open, decided without reading the clock.
            return false;
        }

        if (!ignoreBackoff && total > 0)
        {
            var lastFailure = Interlocked.Read(ref _lastCreationFailureAt);
            if (lastFailure != 0 && _time.GetElapsedTime(lastFailure) < CreationBackoff)
            {
                return false;
            }
        }

        while (true)
        {
            if (total >= _maxSize)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _total, total + 1, total);
            if (seen == total)
            {
                Interlocked.Increment(ref _pendingCreations);
                return true;
            }

            total = seen;
        }
    }

    /// <summary>Opens a connection for capacity already reserved; returns the failure, if any, having given the capacity back.</summary>
    private async Task<Exception?> OpenConnectionAsync()
    {
        var start = _time.GetTimestamp();
        IConnectionTransport? transport = null;
        Exception? failure = null;
        try
        {
            using var timeout = new CancellationTokenSource(_options.AcquireTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposing.Token);
            try
            {
                transport = await _factory.OpenAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !IsDisposed)
            {
                throw new TimeoutException($"Opening a connection to {_options.Endpoint} took longer than AcquireTimeout ({_options.AcquireTimeout.TotalSeconds:0.###} s).");
            }

            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(start, now);
            _metrics.CreateTime.Record(elapsed.TotalSeconds, _metrics.PoolTag);
            Interlocked.Increment(ref _created);

            var connection = new PooledConnection(
                Interlocked.Increment(ref _nextConnectionId),
                transport,
                Volatile.Read(ref _generation),
                _maxLeases,
                now,
                TimestampAfter(now, Jittered(_options.ConnectionLifetime, 0.025)),
                captureTraces: _options.LeakDetectionThreshold is not null)
            {
                NextDeepCheckAt = TimestampAfter(now, Jittered(_options.HealthCheckInterval, 0.1)),
            };

            BeforeConnectionPublished?.Invoke(connection);
            if (!TryPublish(connection))
            {
                transport.Dispose();
                Interlocked.Decrement(ref _total);
            }
            else
            {
                _logger.ConnectionOpened(Name, connection.Id, elapsed.TotalMilliseconds);

                // Published first, checked second: disposal sets its flag first and sweeps the slots second, so either its
                // sweep finds this connection or this finds the pool disposed (both are interlocked). Whichever closes the
                // connection first wins TryClose; the other finds it closed.
                if (IsDisposed)
                {
                    connection.Retire(RetireReasons.Disposed);
                    RetireIfIdle(connection);
                }
            }
        }
        catch (Exception) when (IsDisposed)
        {
            // Cancelled by disposal, or failed while the pool went away: not a failure worth counting or logging.
            transport?.Dispose();
            Interlocked.Decrement(ref _total);
        }
        catch (Exception ex)
        {
            transport?.Dispose();
            Interlocked.Decrement(ref _total);
            Interlocked.Increment(ref _failedCreations);
            Interlocked.Exchange(ref _lastCreationFailureAt, _time.GetTimestamp());
            _metrics.CreateFailures.Add(1, _metrics.PoolTag);
            _logger.ConnectionOpenFailed(Name, _options.Endpoint, ex);
            failure = ex;
        }
        finally
        {
            if (Interlocked.Decrement(ref _pendingCreations) == 0 && IsDisposed)
            {
                _opensEnded.TrySetResult();
            }
        }

        if (failure is not null && Volatile.Read(ref _total) == 0)
        {
            // Nothing open and nothing opening: no waiter can be served, so tell them why now rather than at their timeout.
            FailWaiters(failure);
        }

        Dispatch();
        return failure;
    }

    private bool TryPublish(PooledConnection connection)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], connection, null) is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes a retiring connection if it carries no lease; the only way a connection leaves the pool before disposal.</summary>
    private bool RetireIfIdle(PooledConnection connection)
    {
        if (!connection.TryClose())
        {
            return false;
        }

        var reason = connection.RetireReason ?? RetireReasons.Idle;

        // Close the socket before giving its capacity back: once _total drops, a creation may open the replacement,
        // and "never more than MaxSize TCP connections" must hold as the operating system counts them too.
        connection.Transport.Dispose();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], null, connection) == connection)
            {
                Interlocked.Decrement(ref _total);
                break;
            }
        }

        if (reason != RetireReasons.Disposed)
        {
            Interlocked.Increment(ref _retired);
            _metrics.RecordRetired(reason);
        }

        _logger.ConnectionRetired(Name, connection.Id, reason);

        if (!IsDisposed)
        {
            if (reason is RetireReasons.HealthCheckFailed or RetireReasons.Faulted)
            {
                // A failed connection is replaced at once, not on the next borrower's path.
                TryStartCreation(onlyIfNonePending: false);
            }

            EnsureMinSize();
        }

        return true;
    }

    private void SignalDrainedIfIdle()
    {
        if (CountConnectionsAndLeases().Leases == 0)
        {
            _drained.TrySetResult();
        }
    }

    private TimeSpan Jittered(TimeSpan value, double maxShare)
    {
        double sample;
        using (_jitterLock.EnterScope())
        {
            sample = _random.NextDouble();
        }

        // Negative jitter only, so a connection never outlives its configured bound (HikariCP's maxLifetime rule).
        return value - (value * (sample * maxShare));
    }
}
