using System.Diagnostics;
using QdrantPool.Connections;
using QdrantPool.Leasing;

namespace QdrantPool;

/// <summary>
/// Waiting for a lease: callers queue in a <see cref="WaiterQueue"/> (whose rules are stated there), are served by
/// direct hand-off or by a dispatch pass, and time out on the queue's one timer. Allocation-free in the steady state:
/// waiters are reused.
/// </summary>
public sealed partial class QdrantConnectionPool : IWaiterOwner
{
    // Reused waiters kept at once; more waiting callers than this still work, their waiters are simply not kept.
    private const int CachedWaiters = 32;

    private readonly LeaseWaiterCache _waiterCache;
    private readonly WaiterQueue _waiters;

    void IWaiterOwner.ReturnWaiter(LeaseWaiter waiter) => _waiterCache.Return(waiter);

    void IWaiterOwner.OnWaiterCanceled(LeaseWaiter waiter)
    {
        var token = waiter.CancellationToken;
        if (_waiters.TryRemove(waiter))
        {
            waiter.SetException(new OperationCanceledException(token));
        }
    }

    private WaiterQueue CreateWaiterQueue() =>
        new(_time, static state => ((QdrantConnectionPool)state!).OnWaitTimer(), this);

    /// <summary>
    /// Queues the caller behind those already waiting and returns its wait, served at once if capacity is free. With a
    /// cached waiter free, waiting allocates nothing.
    /// </summary>
    private ValueTask<QdrantLease> WaitForLeaseAsync(long start, long deadline, StackTrace? trace, CancellationToken cancellationToken)
    {
        var waiter = _waiterCache.Rent();
        var token = waiter.Begin(start, deadline, trace, cancellationToken);
        if (!_waiters.TryEnqueue(waiter, atFront: false, start))
        {
            // The queue is closed: the pool was disposed. The waiter was never awaited, so it is simply dropped.
            return ValueTask.FromException<QdrantLease>(new ObjectDisposedException(GetType().FullName));
        }

        // Capacity freed between the fast path and the enqueue, or a connection to open, is found here.
        Dispatch();
        waiter.RegisterCancellation();
        return new ValueTask<QdrantLease>(waiter, token);
    }

    /// <summary>
    /// Serves waiters from spare capacity in arrival order, then opens connections for those still waiting. Called
    /// whenever capacity may have appeared: a release, a new connection, a housekeeping pass, a new waiter.
    /// </summary>
    /// <remarks>
    /// Takes the capacity first and the waiter second, with the queue's lock held only for the second: nothing here
    /// runs under the lock, so a pass that gives capacity back (and so dispatches) cannot re-enter another pass.
    /// Several passes may run at once; each serves a different waiter.
    /// </remarks>
    private void Dispatch()
    {
        while (_waiters.Count > 0)
        {
            var now = _time.GetTimestamp();
            if (!TryLeaseExisting(now, out var lease, out var needsValidation))
            {
                break;
            }

            var waiter = _waiters.TakeNext(claim: !needsValidation);
            if (waiter is null)
            {
                // The waiters this capacity was taken for left meanwhile (cancelled, timed out, served by a hand-off).
                Release(lease, counted: false);
                return;
            }

            if (needsValidation)
            {
                // Not claimed: the check decides later whether the caller gets this lease.
                StartValidation(waiter, lease);
            }
            else
            {
                Serve(waiter, lease, now);
            }
        }

        // One new connection can carry MaxLeasesPerConnection waiters; open only as many as the queue needs.
        // Bounded by MaxSize: opens that fail at once hand their capacity straight back.
        for (var opened = 0; opened < _maxSize && _waiters.Count > Volatile.Read(ref _pendingCreations) * _maxLeases; opened++)
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
        // Claimed as it leaves the queue, so a timeout or a cancellation can no longer take it: the lease below is
        // certain to reach the caller.
        if (_waiters.TakeNext(claim: true) is not { } waiter)
        {
            return false;
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

    /// <summary>Fails every queued waiter: no connection can be opened.</summary>
    private void FailWaiters(Exception exception) => CompleteChain(_waiters.TakeAll(), exception);

    /// <summary>Times out every waiter past its deadline; the queue sets its timer for the earliest deadline left.</summary>
    private void OnWaitTimer() => CompleteChain(_waiters.TakeExpired(_time.GetTimestamp()), null);

    /// <summary>Fails claimed waiters chained through Next: with <paramref name="exception"/>, or as timed out.</summary>
    private void CompleteChain(LeaseWaiter? chain, Exception? exception)
    {
        while (chain is { } waiter)
        {
            chain = waiter.Next;
            waiter.Next = null;
            waiter.SetException(exception ?? OnAcquireTimedOut(waiter.LastValidationFailure));
        }
    }
}
