using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace QdrantPool.Leasing;

/// <summary>
/// A caller waiting for a lease, reused from one wait to the next so that waiting allocates nothing: the caller awaits
/// it directly as a <see cref="ValueTask{TResult}"/> (no Task and no async method in between), it is its own node in
/// the pool's FIFO queue, and its timeout is served by the pool's one wait timer.
/// </summary>
/// <remarks>
/// A wait is completed once, by whoever wins <see cref="TryClaim"/>: the releaser handing its lease over, the dispatcher
/// serving from spare capacity, the wait timer, the cancellation callback, the validation that checked the waiter's lease,
/// or the pool failing its waiters. A waiter in the queue is claimed only as it leaves the queue, under the queue's lock
/// (<see cref="WaiterQueue"/>); the compare-exchange decides between a cancellation and a validation in flight, which
/// hold a waiter that is out of the queue. Continuations run asynchronously, so completing a wait runs no caller code.
/// </remarks>
internal sealed class LeaseWaiter : IValueTaskSource<QdrantLease>
{
    private const int Waiting = 0;
    private const int Claimed = 1;

    private static readonly Action<object?> OnCanceledCallback = static state =>
    {
        var waiter = (LeaseWaiter)state!;
        waiter._owner.OnWaiterCanceled(waiter);
    };

    private readonly IWaiterOwner _owner;
    private ManualResetValueTaskSourceCore<QdrantLease> _core;
    private CancellationTokenRegistration _registration;
    private int _state;

    public LeaseWaiter(IWaiterOwner owner)
    {
        _owner = owner;
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>The neighbours in the pool's queue; guarded by the queue's lock.</summary>
    public LeaseWaiter? Previous { get; set; }

    /// <summary>The next in the pool's queue (or in a list of waiters being failed together); guarded by the queue's lock.</summary>
    public LeaseWaiter? Next { get; set; }

    /// <summary>In the pool's queue; guarded by the queue's lock.</summary>
    public bool IsQueued { get; set; }

    /// <summary>When the wait began, on the pool's precise clock.</summary>
    public long Start { get; private set; }

    /// <summary>When the wait times out, on the pool's precise clock.</summary>
    public long Deadline { get; private set; }

    public StackTrace? Trace { get; private set; }

    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Medium checks this wait's leases failed; written only by the validation that holds the waiter.</summary>
    public int ValidationFailures { get; set; }

    public Exception? LastValidationFailure { get; set; }

    /// <summary>
    /// Set once a lease went to the medium check for this waiter. The check may still refer to the waiter after the
    /// wait ended (a cancellation won), so such a waiter is never reused.
    /// </summary>
    public bool HandedToValidation { get; set; }

    public bool IsClaimed => Volatile.Read(ref _state) == Claimed;

    /// <summary>Starts a wait; returns the token of the <see cref="ValueTask{TResult}"/> that observes it.</summary>
    public short Begin(long start, long deadline, StackTrace? trace, CancellationToken cancellationToken)
    {
        Start = start;
        Deadline = deadline;
        Trace = trace;
        CancellationToken = cancellationToken;
        Volatile.Write(ref _state, Waiting);
        return _core.Version;
    }

    /// <summary>
    /// Called after the waiter is queued and outside the queue's lock: a token cancelled already runs the callback here,
    /// and the callback takes that lock. Tokens that cannot be cancelled register nothing.
    /// </summary>
    public void RegisterCancellation()
    {
        if (CancellationToken.CanBeCanceled && !IsClaimed)
        {
            _registration = CancellationToken.UnsafeRegister(OnCanceledCallback, this);
        }
    }

    /// <summary>True for the one caller that may complete this wait.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

    /// <summary>Completes a claimed wait. The waiter may be reused the moment this returns: touch it no more.</summary>
    public void SetResult(QdrantLease lease) => _core.SetResult(lease);

    /// <summary>Fails a claimed wait. The waiter may be reused the moment this returns: touch it no more.</summary>
    public void SetException(Exception exception) => _core.SetException(exception);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public QdrantLease GetResult(short token)
    {
        if (token != _core.Version || _core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            // Awaited twice, or read before it finished: the core throws, and the waiter must not be recycled under
            // the wait that does own it.
            return _core.GetResult(token);
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    private void Recycle()
    {
        // Dispose, not Unregister: it waits for a cancellation callback already running, so none reaches the next wait.
        _registration.Dispose();
        _registration = default;
        if (HandedToValidation)
        {
            return;
        }

        Trace = null;
        CancellationToken = default;
        _core.Reset();
        _owner.ReturnWaiter(this);
    }
}

/// <summary>What a <see cref="LeaseWaiter"/> calls back: the pool that queued it.</summary>
internal interface IWaiterOwner
{
    /// <summary>The waiter's token was cancelled; runs on the cancelling thread.</summary>
    void OnWaiterCanceled(LeaseWaiter waiter);

    /// <summary>The wait was observed and the waiter reset: it may serve another wait.</summary>
    void ReturnWaiter(LeaseWaiter waiter);
}
