using System.Diagnostics;
using QdrantPool.Connections;
using QdrantPool.Leasing;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    // Medium-tier failures tolerated in one acquire before the last one is thrown: a rejected key fails every connection.
    private const int MaxValidationFailuresPerAcquire = 2;

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
    /// <remarks>
    /// A bypass window shorter than the coarse clock's resolution (zero: check every borrow) needs the precise clock too.
    /// </remarks>
    private long LeaseTimestamp() => _coarseLeaseClock && !_metrics.UseTime.Enabled ? _clock.GetTimestamp() : _time.GetTimestamp();

    /// <summary>Gives one unit of a connection's capacity back: to the longest waiter if there is one, else to the pool.</summary>
    private void ReturnCapacity(PooledConnection connection, long now)
    {
        if (!connection.IsDoomed)
        {
            CheckFast(connection, now);
        }

        if (!connection.IsDoomed && Volatile.Read(ref _waiterCount) > 0 && TryHandOff(connection))
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

    /// <summary>Borrows on the connection <see cref="SelectConnection"/> chooses; no lock, no allocation.</summary>
    private bool TryLeaseExisting(long now, out QdrantLease lease, out bool needsValidation)
    {
        var generation = Volatile.Read(ref _generation);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var best = SelectConnection(now, generation, out var bestLeases);
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

            if (bestLeases >= LeasesBeforeSpreading)
            {
                // Every connection is at its target: open another in the background, while this caller shares.
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

    /// <summary>
    /// Waits in line for a lease. The wait itself is a reusable waiter awaited directly; an async method (and the
    /// acquire-wait span) is added only while someone listens to the pool's ActivitySource.
    /// </summary>
    private ValueTask<QdrantLease> AcquireSlowAsync(long start, TimeSpan timeout, StackTrace? trace, CancellationToken cancellationToken) =>
        PoolMetrics.ActivitySource.HasListeners()
            ? AcquireTracedAsync(start, timeout, trace, cancellationToken)
            : WaitForLeaseAsync(start, timeout, trace, cancellationToken);

    private async ValueTask<QdrantLease> AcquireTracedAsync(long start, TimeSpan timeout, StackTrace? trace, CancellationToken cancellationToken)
    {
        using var activity = PoolMetrics.ActivitySource.StartActivity("qdrant.pool.acquire_wait", ActivityKind.Internal);
        activity?.SetTag(PoolMetrics.PoolNameTag, Name);
        try
        {
            return await WaitForLeaseAsync(start, timeout, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (QdrantPoolExhaustedException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw;
        }
        catch (OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "canceled");
            throw;
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

    /// <summary>
    /// A waiter was dispatched a connection idle past the bypass window: check it off the dispatcher's lock and thread,
    /// then serve the waiter, or put it back at the head of the queue.
    /// </summary>
    private void StartValidation(LeaseWaiter waiter, QdrantLease lease)
    {
        waiter.HandedToValidation = true;
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Pool.ValidateForWaiterAsync(state.Waiter, state.Lease), (Pool: this, Waiter: waiter, Lease: lease), preferLocal: false);
    }

    private async Task ValidateForWaiterAsync(LeaseWaiter waiter, QdrantLease lease)
    {
        try
        {
            // ValidateLeaseAsync gives the lease back itself when the check fails or is cancelled.
            var failure = await ValidateLeaseAsync(lease, waiter.CancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                if (waiter.TryClaim())
                {
                    Serve(waiter, lease, _time.GetTimestamp());
                }
                else
                {
                    // Cancelled while its lease was being checked: the caller is gone, the lease comes back unused.
                    Release(lease, counted: false);
                }

                return;
            }

            waiter.LastValidationFailure = failure;
            if (++waiter.ValidationFailures >= MaxValidationFailuresPerAcquire)
            {
                if (waiter.TryClaim())
                {
                    waiter.SetException(failure);
                }

                return;
            }

            Requeue(waiter);
        }
        catch (Exception ex)
        {
            if (waiter.TryClaim())
            {
                waiter.SetException(ex);
            }
        }
    }

    /// <summary>Puts a waiter whose lease failed its check back where it was, first in line, against its own deadline.</summary>
    private void Requeue(LeaseWaiter waiter)
    {
        var now = _time.GetTimestamp();
        using (_waitLock.EnterScope())
        {
            if (waiter.IsClaimed)
            {
                return;
            }

            if (!IsDisposed)
            {
                EnqueueLocked(waiter, atFront: true, now);
                DispatchLocked(now);
                return;
            }

            waiter.TryClaim();
        }

        waiter.SetException(new ObjectDisposedException(GetType().FullName));
    }

    /// <summary>Counts an acquire and its wait; the recorder's sample count is the pool's total-acquires figure.</summary>
    private void OnAcquired(TimeSpan waited)
    {
        _acquireTimes.Record(waited.Ticks);
        _metrics.RecordWait(waited);
    }

    private QdrantPoolExhaustedException OnAcquireTimedOut(Exception? lastValidationFailure)
    {
        Interlocked.Increment(ref _timeouts);
        _metrics.Timeouts.Add(1, _metrics.PoolTag);
        var (_, used, leases) = CountConnectionsAndLeases();
        var total = Volatile.Read(ref _total);
        _logger.AcquireTimedOut(Name, _options.AcquireTimeout.TotalSeconds, total, leases);
        return QdrantPoolExhaustedException.Create(_options, total, used, leases, lastValidationFailure);
    }
}
