using System.Diagnostics;
using QdrantPool.Connections;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    // Medium-tier failures tolerated in one acquire before the last one is thrown: a rejected key fails every connection.
    private const int MaxValidationFailuresPerAcquire = 2;

    // Waiters in arrival order. Guarded by _waitLock; _waiterCount mirrors the count so the fast paths can read it
    // without the lock.
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Lock _waitLock = new();
    private int _waiterCount;

    /// <inheritdoc />
    public ValueTask<QdrantLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<QdrantLease>(cancellationToken);
        }

        // Captured here, on the caller's own stack: after an await the stack no longer shows who asked.
        var trace = _captureTraces ? new StackTrace(1, fNeedFileInfo: true) : null;

        // Fast path: no lock, no allocation, one cheap clock read. Skipped while others wait, so a newcomer never
        // overtakes them.
        if (Volatile.Read(ref _waiterCount) == 0 && TryLeaseExisting(LeaseTimestamp(), out var lease, out var needsValidation))
        {
            lease.Connection!.SetTrace(lease.Slot, trace);
            if (!needsValidation)
            {
                // Nothing was waited for, so the wait is recorded as zero rather than timed with a second read.
                OnAcquired(TimeSpan.Zero);
                return new ValueTask<QdrantLease>(lease);
            }

            return ValidateAndAcquireAsync(lease, _time.GetTimestamp(), _options.AcquireTimeout, trace, cancellationToken);
        }

        return AcquireSlowAsync(_time.GetTimestamp(), _options.AcquireTimeout, trace, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(QdrantLease lease)
    {
        Release(lease, counted: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Returns a lease. <paramref name="counted"/> is false for a lease the caller never received (it failed its
    /// medium check), so that acquires and releases stay equal.
    /// </summary>
    private void Release(QdrantLease lease, bool counted)
    {
        var connection = lease.Connection;
        if (connection is null)
        {
            return;
        }

        if (!ReferenceEquals(lease.Pool, this))
        {
            throw new ArgumentException($"The lease belongs to the Qdrant pool '{lease.Pool?.Name}', not to '{Name}'.", nameof(lease));
        }

        var now = LeaseTimestamp();
        if (!connection.TryFreeSlot(lease.Slot, lease.Stamp, now, out var lentAt))
        {
            // Returned already (a copy of the struct, or await using after ReleaseAsync): never count it twice.
            return;
        }

        if (counted)
        {
            Interlocked.Increment(ref _releases);
            if (_metrics.UseTime.Enabled)
            {
                // A lease lent before use_time had a listener carries a coarse stamp, possibly a little ahead.
                _metrics.RecordUse(TimeSpan.FromTicks(Math.Max(0, _time.GetElapsedTime(lentAt, now).Ticks)));
            }
        }

        ReturnCapacity(connection, now);
    }

    /// <summary>
    /// The time stamped on lending and returning. Precise only while use_time has a listener: lifetime, the bypass
    /// window, idleness and leak age are all far coarser than the coarse clock's few milliseconds.
    /// </summary>
    private long LeaseTimestamp() => _metrics.UseTime.Enabled ? _time.GetTimestamp() : _clock.GetTimestamp();

    /// <summary>Gives one unit of a connection's capacity back: to the longest waiter if there is one, else to the pool.</summary>
    private void ReturnCapacity(PooledConnection connection, long now)
    {
        if (!connection.IsDoomed)
        {
            CheckFast(connection, now);
        }

        if (!connection.IsDoomed && Volatile.Read(ref _waiterCount) > 0 && TryHandOff(connection, now))
        {
            return;
        }

        if (connection.RemoveLease() == 0 && connection.IsDoomed)
        {
            RetireIfIdle(connection);
        }

        // Whoever arrived while this release was in flight is served now (a waiter enqueued after the hand-off check).
        if (Volatile.Read(ref _waiterCount) > 0)
        {
            Dispatch();
        }

        if (IsDisposed)
        {
            SignalDrainedIfIdle();
        }
    }

    /// <summary>Borrows the least-loaded open connection with spare capacity; no lock, no allocation.</summary>
    private bool TryLeaseExisting(long now, out QdrantLease lease, out bool needsValidation)
    {
        var generation = Volatile.Read(ref _generation);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            PooledConnection? best = null;
            var bestLeases = int.MaxValue;
            foreach (var connection in _slots)
            {
                if (connection is null)
                {
                    continue;
                }

                var leases = connection.Leases;
                if (leases < 0 || leases >= _maxLeases || connection.IsDoomed)
                {
                    continue;
                }

                if (connection.Generation != generation || now >= connection.ExpiresAt)
                {
                    // Found past its time while idle: close it now rather than at the next housekeeping tick.
                    connection.Doom(connection.Generation != generation ? RetireReasons.Cleared : RetireReasons.Lifetime);
                    RetireIfIdle(connection);
                    continue;
                }

                if (leases < bestLeases)
                {
                    best = connection;
                    bestLeases = leases;
                    if (leases == 0)
                    {
                        break;
                    }
                }
            }

            if (best is null)
            {
                break;
            }

            if (!best.TryAddLease(bestLeases))
            {
                continue;
            }

            if (best.IsDoomed)
            {
                // Doomed between the scan and the compare-exchange (a clear, a failed check): hand the unit back.
                ReturnCapacity(best, now);
                continue;
            }

            if (bestLeases > 0)
            {
                // Every connection is carrying leases: open another in the background, while this caller shares.
                TryStartCreation(onlyIfNonePending: true);
            }

            needsValidation = bestLeases == 0 && now - best.LastReleasedAt > _bypassWindowTicks;
            var (slot, version) = best.ClaimSlot(now);
            lease = new QdrantLease(this, best, slot, version);
            return true;
        }

        lease = default;
        needsValidation = false;
        return false;
    }

    private async ValueTask<QdrantLease> AcquireSlowAsync(long start, TimeSpan timeout, StackTrace? trace, CancellationToken cancellationToken)
    {
        using var activity = PoolMetrics.ActivitySource.StartActivity("qdrant.pool.acquire_wait", ActivityKind.Internal);
        activity?.SetTag(PoolMetrics.PoolNameTag, Name);

        Exception? lastValidationFailure = null;
        for (var failures = 0; ; )
        {
            var waiter = new Waiter();
            using (_waitLock.EnterScope())
            {
                ThrowIfDisposed();
                waiter.Node = _waiters.AddLast(waiter);
                _waiterCount++;
            }

            // Capacity freed between the fast path and the enqueue, or a connection to open, is found here.
            Dispatch();

            QdrantLease lease;
            try
            {
                var remaining = timeout - _time.GetElapsedTime(start);
                lease = await waiter.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !ReferenceEquals(ex, waiter.Task.Exception?.InnerException))
            {
                if (!TryRemoveWaiter(waiter))
                {
                    // Served at the same moment it gave up: take what it was given (a lease or the failure).
                    lease = await waiter.Task.ConfigureAwait(false);
                }
                else if (ex is TimeoutException)
                {
                    throw OnAcquireTimedOut(activity, lastValidationFailure);
                }
                else
                {
                    activity?.SetStatus(ActivityStatusCode.Error, "canceled");
                    throw;
                }
            }

            lease.Connection!.SetTrace(lease.Slot, trace);
            if (!waiter.NeedsValidation)
            {
                OnAcquired(_time.GetElapsedTime(start));
                return lease;
            }

            var failure = await ValidateLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                OnAcquired(_time.GetElapsedTime(start));
                return lease;
            }

            lastValidationFailure = failure;
            if (++failures >= MaxValidationFailuresPerAcquire)
            {
                throw failure;
            }
        }
    }

    private async ValueTask<QdrantLease> ValidateAndAcquireAsync(QdrantLease lease, long start, TimeSpan timeout, StackTrace? trace, CancellationToken cancellationToken)
    {
        var failure = await ValidateLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            OnAcquired(_time.GetElapsedTime(start));
            return lease;
        }

        // The connection is doomed and replaced; the wait for another counts against the same timeout.
        return await AcquireSlowAsync(start, timeout, trace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts an acquire and its wait; the recorder's sample count is the pool's total-acquires figure.</summary>
    private void OnAcquired(TimeSpan waited)
    {
        _acquireTimes.Record(waited.Ticks);
        _metrics.RecordWait(waited);
    }

    private QdrantPoolExhaustedException OnAcquireTimedOut(Activity? activity, Exception? lastValidationFailure)
    {
        Interlocked.Increment(ref _timeouts);
        _metrics.Timeouts.Add(1, _metrics.PoolTag);
        var (_, used, leases) = CountConnectionsAndLeases();
        var total = Volatile.Read(ref _total);
        _logger.AcquireTimedOut(Name, _options.AcquireTimeout.TotalSeconds, total, leases);
        activity?.SetStatus(ActivityStatusCode.Error, "timeout");
        return QdrantPoolExhaustedException.Create(_options, total, used, leases, lastValidationFailure);
    }

    /// <summary>
    /// Serves waiters from spare capacity in arrival order, then opens connections for those still waiting. Called
    /// whenever capacity may have appeared: a release, a new connection, a waiter's arrival.
    /// </summary>
    private void Dispatch()
    {
        using (_waitLock.EnterScope())
        {
            var now = _time.GetTimestamp();
            while (_waiters.First is { } node)
            {
                if (!TryLeaseExisting(now, out var lease, out var needsValidation))
                {
                    break;
                }

                RemoveWaiterLocked(node);
                node.Value.NeedsValidation = needsValidation;

                // Continuations run asynchronously (the Waiter's options), so completing under the lock runs no user code here.
                node.Value.TrySetResult(lease);
            }

            // One new connection can carry MaxLeasesPerConnection waiters; open only as many as the queue needs.
            // Bounded by MaxSize: opens that fail at once hand their capacity straight back.
            for (var opened = 0; opened < _maxSize && _waiterCount > Volatile.Read(ref _pendingCreations) * _maxLeases; opened++)
            {
                if (!TryStartCreation(onlyIfNonePending: false))
                {
                    break;
                }
            }
        }
    }

    /// <summary>Gives a just-returned unit of capacity straight to the longest waiter; the lease count does not change.</summary>
    private bool TryHandOff(PooledConnection connection, long now)
    {
        using (_waitLock.EnterScope())
        {
            if (_waiters.First is not { } node)
            {
                return false;
            }

            RemoveWaiterLocked(node);
            var (slot, version) = connection.ClaimSlot(now);
            node.Value.NeedsValidation = false;
            node.Value.TrySetResult(new QdrantLease(this, connection, slot, version));
            return true;
        }
    }

    private bool TryRemoveWaiter(Waiter waiter)
    {
        using (_waitLock.EnterScope())
        {
            if (waiter.Node?.List is null)
            {
                return false;
            }

            RemoveWaiterLocked(waiter.Node);
            return true;
        }
    }

    private void RemoveWaiterLocked(LinkedListNode<Waiter> node)
    {
        _waiters.Remove(node);
        _waiterCount--;
    }

    /// <summary>Fails every waiter (pool disposed, or no connection can be opened).</summary>
    private void FailWaiters(Exception exception)
    {
        using (_waitLock.EnterScope())
        {
            while (_waiters.First is { } node)
            {
                RemoveWaiterLocked(node);
                node.Value.TrySetException(exception);
            }
        }
    }

    /// <summary>A caller waiting for a lease. Completed only under <see cref="_waitLock"/>, once.</summary>
    private sealed class Waiter() : TaskCompletionSource<QdrantLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<Waiter>? Node { get; set; }

        public bool NeedsValidation { get; set; }
    }
}
