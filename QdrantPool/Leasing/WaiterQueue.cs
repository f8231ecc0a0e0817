namespace QdrantPool.Leasing;

/// <summary>
/// The callers waiting for a lease, first come first served: the queue, the one lock that guards it, and the one timer
/// that times its waiters out. Waiters are their own nodes, so queueing allocates nothing and leaving is O(1).
/// </summary>
/// <remarks>
/// <para>The rules this type keeps (the pool's defect 1 and 3 broke the first and the third):</para>
/// <list type="number">
/// <item>The lock guards only the list, its count and the timer's deadline. Nothing that can lend, return or dispatch
/// capacity runs under it, and no method here calls back into the pool. A pass over the queue therefore cannot re-enter
/// another pass: the pool takes capacity first, then asks for a waiter.</item>
/// <item>A waiter leaves the queue once, and only together with its claim (<see cref="LeaseWaiter.TryClaim"/>), all
/// under the lock: <see cref="TakeNext"/> (served), <see cref="TryRemove"/> (cancelled), <see cref="TakeExpired"/>
/// (timed out), <see cref="TakeAll"/> and <see cref="Close"/> (the pool fails its waiters). A waiter that cannot be
/// claimed is skipped, never served. The one exception is <c>TakeNext(claim: false)</c>: the waiter leaves unclaimed
/// because a medium check decides later whether it gets its lease, and a cancellation may still win meanwhile.</item>
/// <item><see cref="Count"/> changes only through <see cref="Interlocked"/>, and the enqueuer looks for capacity only
/// after its increment; a releaser gives its capacity back with an interlocked decrement before it reads
/// <see cref="Count"/>. Both are full fences, so at least one of the two sees the other: no wake-up is lost.</item>
/// <item>Waits are completed outside the lock by whoever took them out (continuations run asynchronously anyway, but a
/// timeout builds its message from the pool's counts).</item>
/// </list>
/// </remarks>
internal sealed class WaiterQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private LeaseWaiter? _head;
    private LeaseWaiter? _tail;
    private int _count;
    private bool _closed;

    // The deadline the timer is set for, long.MaxValue when it is not set. The timer moves only when a waiter's deadline
    // comes before it: with one AcquireTimeout every newcomer's deadline is the latest, so a busy pool almost never
    // touches the timer, and a fire that finds nothing due just sets it again.
    private long _armedDeadline = long.MaxValue;

    /// <param name="time">The pool's clock.</param>
    /// <param name="onTimer">Runs when a waiter's deadline may have passed; it calls <see cref="TakeExpired"/>.</param>
    public WaiterQueue(TimeProvider time, Action<object?> onTimer, object state)
    {
        _time = time;

        // Lives as long as the pool: it must not hold on to the ExecutionContext of whoever built the pool.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(new TimerCallback(onTimer), state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Waiters in the queue; read without the lock by the fast paths.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Queues a waiter (at the back, or at the front for one whose lease failed its check). False when the queue is
    /// closed or the waiter was claimed already (a cancellation won while its lease was being checked).
    /// </summary>
    public bool TryEnqueue(LeaseWaiter waiter, bool atFront, long now)
    {
        using (_lock.EnterScope())
        {
            if (_closed || waiter.IsClaimed)
            {
                return false;
            }

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

            // Rule 3: a full fence before the enqueuer goes looking for capacity.
            Interlocked.Increment(ref _count);
            if (waiter.Deadline < _armedDeadline)
            {
                ArmLocked(waiter.Deadline, now);
            }

            return true;
        }
    }

    /// <summary>
    /// Takes the longest waiter out of the queue, claimed (<paramref name="claim"/>) or handed on unclaimed to a medium
    /// check; null when no waiter is left. A waiter whose claim fails is unlinked and skipped.
    /// </summary>
    public LeaseWaiter? TakeNext(bool claim)
    {
        using (_lock.EnterScope())
        {
            while (_head is { } head)
            {
                UnlinkLocked(head);
                if (claim ? head.TryClaim() : !head.IsClaimed)
                {
                    return head;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// A cancellation: claims the waiter and takes it out of the queue if it is there. False when the wait was won by a
    /// hand-off, a timeout or a check already; then the lease, if any, is the caller's.
    /// </summary>
    public bool TryRemove(LeaseWaiter waiter)
    {
        using (_lock.EnterScope())
        {
            if (!waiter.TryClaim())
            {
                return false;
            }

            if (waiter.IsQueued)
            {
                UnlinkLocked(waiter);
            }

            return true;
        }
    }

    /// <summary>Takes out, claimed, every waiter past its deadline (chained through Next), and sets the timer for the earliest deadline left.</summary>
    public LeaseWaiter? TakeExpired(long now)
    {
        LeaseWaiter? expired = null;
        using (_lock.EnterScope())
        {
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
            if (earliest != long.MaxValue && !_closed)
            {
                ArmLocked(earliest, now);
            }
        }

        return expired;
    }

    /// <summary>Takes out, claimed, every waiter (chained through Next): no connection can be opened.</summary>
    public LeaseWaiter? TakeAll()
    {
        using (_lock.EnterScope())
        {
            return TakeAllLocked();
        }
    }

    /// <summary>
    /// Closes the queue for good (the pool is disposed): nothing more is queued, the timer stops, and every waiter is
    /// taken out, claimed, chained through Next.
    /// </summary>
    public LeaseWaiter? Close()
    {
        using (_lock.EnterScope())
        {
            _closed = true;

            // Under the lock: an enqueue after this finds the queue closed, so none sets a disposed timer.
            _timer.Dispose();
            return TakeAllLocked();
        }
    }

    public void Dispose() => Close();

    private LeaseWaiter? TakeAllLocked()
    {
        LeaseWaiter? taken = null;
        while (_head is { } waiter)
        {
            UnlinkLocked(waiter);
            if (waiter.TryClaim())
            {
                waiter.Next = taken;
                taken = waiter;
            }
        }

        return taken;
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
        Interlocked.Decrement(ref _count);
    }

    private void ArmLocked(long deadline, long now)
    {
        _armedDeadline = deadline;

        // Whole milliseconds, at least one: a timer due at once may run its callback inside Change (FakeTimeProvider
        // does), and that would be under this lock. A fire that comes early finds nothing due and sets the timer again.
        var due = Math.Max(1, Math.Ceiling(_time.GetElapsedTime(now, deadline).TotalMilliseconds));
        _timer.Change(TimeSpan.FromMilliseconds(due), Timeout.InfiniteTimeSpan);
    }
}
