using System.Diagnostics;
using QdrantPool.Connections;
using QdrantPool.Leasing;

namespace QdrantPool;

/// <summary>
/// The waiters' queue: FIFO, served by direct hand-off, timed out by one pool-level timer, and allocation-free in the
/// steady state (waiters are reused and are their own queue nodes).
/// </summary>
public sealed partial class QdrantConnectionPool : IWaiterOwner
{
    // Reused waiters kept at once; more waiting callers than this still work, their waiters are simply not kept.
    private const int CachedWaiters = 32;

    // Waiters in arrival order, linked through the waiters themselves so that queueing allocates nothing and a
    // cancellation unlinks in O(1). Guarded by _waitLock; _waiterCount mirrors the length so the fast paths can read
    // it without the lock.
    private readonly Lock _waitLock = new();
    private readonly LeaseWaiterCache _waiterCache;
    private readonly ITimer _waitTimer;
    private LeaseWaiter? _head;
    private LeaseWaiter? _tail;
    private int _waiterCount;

    // The deadline the wait timer is set for, long.MaxValue when it is not set; guarded by _waitLock. The timer is
    // moved only when a waiter's deadline comes before it: with one AcquireTimeout every newcomer's deadline is the
    // latest, so a busy pool almost never touches the timer, and a fire that finds nothing due just sets it again.
    private long _armedDeadline = long.MaxValue;

    void IWaiterOwner.ReturnWaiter(LeaseWaiter waiter) => _waiterCache.Return(waiter);

    void IWaiterOwner.OnWaiterCanceled(LeaseWaiter waiter)
    {
        var token = waiter.CancellationToken;
        using (_waitLock.EnterScope())
        {
            // Lost to a hand-off, a timeout or a validation already; the lease, if any, is the caller's.
            if (!waiter.TryClaim())
            {
                return;
            }

            if (waiter.IsQueued)
            {
                UnlinkLocked(waiter);
            }
        }

        waiter.SetException(new OperationCanceledException(token));
    }

    private ITimer CreateWaitTimer()
    {
        // Lives as long as the pool: it must not hold on to the ExecutionContext of whoever built the pool.
        using (ExecutionContext.SuppressFlow())
        {
            return _time.CreateTimer(static state => ((QdrantConnectionPool)state!).OnWaitTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Queues the caller behind those already waiting and returns its wait, served at once if capacity is free. With a
    /// cached waiter free, waiting allocates nothing.
    /// </summary>
    private ValueTask<QdrantLease> WaitForLeaseAsync(long start, TimeSpan timeout, StackTrace? trace, CancellationToken cancellationToken)
    {
        LeaseWaiter waiter;
        short token;
        using (_waitLock.EnterScope())
        {
            if (IsDisposed)
            {
                return ValueTask.FromException<QdrantLease>(new ObjectDisposedException(GetType().FullName));
            }

            waiter = _waiterCache.Rent();
            token = waiter.Begin(start, start + ToTimestampTicks(timeout), trace, cancellationToken);
            EnqueueLocked(waiter, atFront: false, start);

            // Capacity freed between the fast path and the enqueue, or a connection to open, is found here.
            DispatchLocked(start);
        }

        waiter.RegisterCancellation();
        return new ValueTask<QdrantLease>(waiter, token);
    }

    /// <summary>
    /// Serves waiters from spare capacity in arrival order, then opens connections for those still waiting. Called
    /// whenever capacity may have appeared: a release, a new connection, a housekeeping pass.
    /// </summary>
    private void Dispatch()
    {
        using (_waitLock.EnterScope())
        {
            if (_head is not null)
            {
                DispatchLocked(_time.GetTimestamp());
            }
        }
    }

    private void DispatchLocked(long now)
    {
        while (_head is { } waiter)
        {
            if (!TryLeaseExisting(now, out var lease, out var needsValidation))
            {
                break;
            }

            UnlinkLocked(waiter);
            if (needsValidation)
            {
                // Not claimed: the check decides later whether the caller gets this lease, and a cancellation may
                // still win meanwhile.
                StartValidation(waiter, lease);
            }
            else
            {
                waiter.TryClaim();
                Serve(waiter, lease, now);
            }
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

    /// <summary>Gives a just-returned unit of capacity straight to the longest waiter; the lease count does not change.</summary>
    private bool TryHandOff(PooledConnection connection)
    {
        LeaseWaiter waiter;
        using (_waitLock.EnterScope())
        {
            if (_head is not { } head)
            {
                return false;
            }

            // Claimed and unlinked under the lock, so a timeout or a cancellation can no longer take it: the lease
            // below is certain to reach the caller.
            head.TryClaim();
            UnlinkLocked(head);
            waiter = head;
        }

        var now = _time.GetTimestamp();
        var (slot, version) = connection.ClaimSlot(now);
        Serve(waiter, new QdrantLease(this, connection, slot, version), now);
        return true;
    }

    /// <summary>Completes a claimed wait with its lease; the waiter is not touched afterwards.</summary>
    private void Serve(LeaseWaiter waiter, QdrantLease lease, long now)
    {
        lease.Connection!.SetTrace(lease.Slot, waiter.Trace);
        OnAcquired(_time.GetElapsedTime(waiter.Start, now));
        waiter.SetResult(lease);
    }

    /// <summary>Fails every queued waiter (pool disposed, or no connection can be opened).</summary>
    private void FailWaiters(Exception exception)
    {
        LeaseWaiter? failed = null;
        using (_waitLock.EnterScope())
        {
            while (_head is { } waiter)
            {
                waiter.TryClaim();
                UnlinkLocked(waiter);
                waiter.Next = failed;
                failed = waiter;
            }
        }

        CompleteChain(failed, exception);
    }

    /// <summary>Times out every waiter past its deadline, then sets the timer for the earliest deadline left.</summary>
    private void OnWaitTimer()
    {
        LeaseWaiter? expired = null;
        using (_waitLock.EnterScope())
        {
            var now = _time.GetTimestamp();
            var earliest = long.MaxValue;
            for (var waiter = _head; waiter is not null;)
            {
                var following = waiter.Next;
                if (waiter.Deadline <= now && waiter.TryClaim())
                {
                    UnlinkLocked(waiter);
                    waiter.Next = expired;
                    expired = waiter;
                }
                else
                {
                    earliest = Math.Min(earliest, waiter.Deadline);
                }

                waiter = following;
            }

            _armedDeadline = long.MaxValue;
            if (earliest != long.MaxValue && !IsDisposed)
            {
                ArmWaitTimerLocked(earliest, now);
            }
        }

        // Outside the lock: each timeout logs and builds a message from the pool's counts.
        CompleteChain(expired, null);
    }

    /// <summary>Fails claimed, unlinked waiters chained through Next: with <paramref name="exception"/>, or as timed out.</summary>
    private void CompleteChain(LeaseWaiter? chain, Exception? exception)
    {
        while (chain is { } waiter)
        {
            chain = waiter.Next;
            waiter.Next = null;
            waiter.SetException(exception ?? OnAcquireTimedOut(waiter.LastValidationFailure));
        }
    }

    private void EnqueueLocked(LeaseWaiter waiter, bool atFront, long now)
    {
        if (atFront)
        {
            waiter.Next = _head;
            if (_head is not null)
            {
                _head.Previous = waiter;
            }
            else
            {
                _tail = waiter;
            }

            _head = waiter;
        }
        else
        {
            waiter.Previous = _tail;
            if (_tail is not null)
            {
                _tail.Next = waiter;
            }
            else
            {
                _head = waiter;
            }

            _tail = waiter;
        }

        waiter.IsQueued = true;
        _waiterCount++;
        if (waiter.Deadline < _armedDeadline)
        {
            ArmWaitTimerLocked(waiter.Deadline, now);
        }
    }

    private void UnlinkLocked(LeaseWaiter waiter)
    {
        if (waiter.Previous is { } previous)
        {
            previous.Next = waiter.Next;
        }
        else
        {
            _head = waiter.Next;
        }

        if (waiter.Next is { } next)
        {
            next.Previous = waiter.Previous;
        }
        else
        {
            _tail = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
        waiter.IsQueued = false;
        _waiterCount--;
    }

    private void ArmWaitTimerLocked(long deadline, long now)
    {
        _armedDeadline = deadline;

        // Whole milliseconds, at least one: a timer due at once may run its callback inside Change (FakeTimeProvider
        // does), and that would be under this lock. A fire that comes early finds nothing due and sets the timer again.
        var due = Math.Max(1, Math.Ceiling(_time.GetElapsedTime(now, deadline).TotalMilliseconds));
        _waitTimer.Change(TimeSpan.FromMilliseconds(due), Timeout.InfiniteTimeSpan);
    }
}
