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
        if (_waiters.Count == 0 && TryLeaseExisting(LeaseTimestamp(), out var lease, out var needsValidation))
        {
            lease.Connection!.SetTrace(lease.Slot, trace);
            if (!needsValidation)
            {
                // Nothing was waited for, so the wait is recorded as zero rather than timed with a second read.
                OnAcquired(TimeSpan.Zero);
                return new ValueTask<QdrantLease>(lease);
            }

            var checkStart = _time.GetTimestamp();
            return ValidateAndAcquireAsync(lease, checkStart, TimestampAfter(checkStart, _options.AcquireTimeout), trace, cancellationToken);
        }

        var start = _time.GetTimestamp();
        return AcquireSlowAsync(start, TimestampAfter(start, _options.AcquireTimeout), trace, cancellationToken);
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
        // A retiring connection's capacity is of no use to a waiter: it lends nothing new.
        if (CheckFast(connection, now) && _waiters.Count > 0 && TryHandOff(connection))
        {
            return;
        }

        BeforeCapacityGivenBack?.Invoke(connection);
        GiveBack(connection);

        // Whoever queued while this release was in flight is served now. The read comes after GiveBack's interlocked
        // decrement (WaiterQueue, rule 3): either this sees the waiter, or the waiter's own pass sees the capacity.
        if (_waiters.Count > 0)
        {
            Dispatch();
        }

        if (IsDisposed)
        {
            SignalDrainedIfIdle();
        }
    }

    /// <summary>Gives one unit of capacity back to its connection, closing the connection if it is retiring and now idle. Never dispatches.</summary>
    private void GiveBack(PooledConnection connection)
    {
        if (connection.RemoveLease() == 0 && connection.IsRetiring)
        {
            RetireIfIdle(connection);
        }
    }

    /// <summary>
    /// Borrows from the connection <see cref="SelectConnection"/> picks; no lock, no allocation. Safe inside a dispatch
    /// pass: it never dispatches itself. <paramref name="growIfShared"/> is false for the pool's own checks: a health
    /// probe sharing a connection with a caller is no reason to open another socket.
    /// </summary>
    private bool TryLeaseExisting(long now, out QdrantLease lease, out bool needsValidation, bool growIfShared = true)
    {
        var generation = Volatile.Read(ref _generation);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var chosen = SelectConnection(now, generation, out var leases);
            if (chosen is null)
            {
                break;
            }

            AfterConnectionSelected?.Invoke(chosen);
            if (!chosen.TryAddLease(leases))
            {
                continue;
            }

            if (chosen.IsRetiring)
            {
                // Retired between the choice and the compare-exchange (a clear, a failed check): give the unit back,
                // and only back. Handing it on would dispatch from inside a dispatch pass.
                GiveBack(chosen);
                continue;
            }

            if (leases >= LeasesBeforeSpreading && growIfShared)
            {
                // Every connection is at its target: open another in the background, while this caller shares.
                TryStartCreation(onlyIfNonePending: true);
            }

            needsValidation = leases == 0 && now - chosen.LastReleasedAt > _bypassWindowTicks;
            var (slot, version) = chosen.ClaimSlot(now);
            lease = new QdrantLease(this, chosen, slot, version);
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
    private ValueTask<QdrantLease> AcquireSlowAsync(long start, long deadline, StackTrace? trace, CancellationToken cancellationToken) =>
        PoolMetrics.ActivitySource.HasListeners()
            ? AcquireTracedAsync(start, deadline, trace, cancellationToken)
            : WaitForLeaseAsync(start, deadline, trace, cancellationToken);

    private async ValueTask<QdrantLease> AcquireTracedAsync(long start, long deadline, StackTrace? trace, CancellationToken cancellationToken)
    {
        using var activity = PoolMetrics.ActivitySource.StartActivity("qdrant.pool.acquire_wait", ActivityKind.Internal);
        activity?.SetTag(PoolMetrics.PoolNameTag, Name);
        try
        {
            return await WaitForLeaseAsync(start, deadline, trace, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask<QdrantLease> ValidateAndAcquireAsync(QdrantLease lease, long start, long deadline, StackTrace? trace, CancellationToken cancellationToken)
    {
        var (outcome, _) = await ValidateLeaseAsync(lease, deadline, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CheckOutcome.Passed:
                OnAcquired(_time.GetElapsedTime(start));
                return lease;
            case CheckOutcome.OutOfTime:
                throw OnAcquireTimedOut(null);
            default:
                // The connection is retired and replaced; the wait for another counts against the same deadline.
                return await AcquireSlowAsync(start, deadline, trace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A waiter was dispatched a connection idle past the bypass window: check it off the dispatcher's thread, then
    /// serve the waiter, or put it back at the head of the queue.
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
            // ValidateLeaseAsync gives the lease back itself unless the check passes.
            var (outcome, failure) = await ValidateLeaseAsync(lease, waiter.Deadline, waiter.CancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case CheckOutcome.Passed:
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
                case CheckOutcome.OutOfTime:
                    if (waiter.TryClaim())
                    {
                        waiter.SetException(OnAcquireTimedOut(waiter.LastValidationFailure));
                    }

                    return;
            }

            waiter.LastValidationFailure = failure;
            if (++waiter.ValidationFailures >= MaxValidationFailuresPerAcquire)
            {
                if (waiter.TryClaim())
                {
                    waiter.SetException(failure!);
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
        if (_waiters.TryEnqueue(waiter, atFront: true, _time.GetTimestamp()))
        {
            Dispatch();
            return;
        }

        // Not queued: either a cancellation claimed it already (nothing to do), or the pool was disposed.
        if (waiter.TryClaim())
        {
            waiter.SetException(new ObjectDisposedException(GetType().FullName));
        }
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
