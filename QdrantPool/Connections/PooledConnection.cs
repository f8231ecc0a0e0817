using System.Diagnostics;

namespace QdrantPool.Connections;

/// <summary>
/// One pooled connection and its lease slots. Every mutable field changes only through <see cref="Interlocked"/>, so
/// borrowing and returning never take a lock.
/// </summary>
internal sealed class PooledConnection
{
    private const int Closed = -1;

    // One version per lease slot: even = free, odd = lent. A lease remembers (slot, version); returning it moves the
    // version on by one with a compare-exchange, so a second return of the same lease finds a different version and
    // does nothing. This is what lets a lease be a plain struct with no allocation.
    private readonly long[] _slotVersions;
    private readonly long[] _slotLentAt;
    private readonly long[] _slotLeakReported;
    private readonly StackTrace?[]? _slotTraces;

    // >= 0: leases out. Closed: out of the pool for good. Only an idle connection (0) can become Closed, so a connection
    // carrying a lease is never closed under its borrower.
    private int _leases;
    private string? _retireReason;
    private int _slotHint;
    private long _lastReleasedAt;
    private long _nextDeepCheckAt;

    public PooledConnection(int id, IConnectionTransport transport, int generation, int maxLeases, long createdAt, long expiresAt, bool captureTraces)
    {
        Id = id;
        Transport = transport;
        Generation = generation;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        _lastReleasedAt = createdAt;
        _slotVersions = new long[maxLeases];
        _slotLentAt = new long[maxLeases];
        _slotLeakReported = new long[maxLeases];
        _slotTraces = captureTraces ? new StackTrace?[maxLeases] : null;
    }

    public int Id { get; }

    public IConnectionTransport Transport { get; }

    public int Generation { get; }

    public long CreatedAt { get; }

    /// <summary>Creation time plus the lifetime less its jitter.</summary>
    public long ExpiresAt { get; }

    /// <summary>When the background deep check is next due; long.MaxValue while one runs.</summary>
    public long NextDeepCheckAt
    {
        get => Volatile.Read(ref _nextDeepCheckAt);
        set => Volatile.Write(ref _nextDeepCheckAt, value);
    }

    public int MaxLeases => _slotVersions.Length;

    public int Leases => Volatile.Read(ref _leases);

    /// <summary>Closed for good: its transport is disposed or about to be, and it lends nothing.</summary>
    public bool IsClosed => Volatile.Read(ref _leases) < 0;

    public bool IsIdle => Volatile.Read(ref _leases) == 0;

    /// <summary>Taken out of service: it lends no new leases and closes as soon as it is idle.</summary>
    public bool IsRetiring => Volatile.Read(ref _retireReason) is not null;

    /// <summary>Why the connection was taken out of service; null while it is in service.</summary>
    public string? RetireReason => Volatile.Read(ref _retireReason);

    public long LastReleasedAt => Volatile.Read(ref _lastReleasedAt);

    /// <summary>Takes the connection out of service; true for the caller that retired it first (its reason is kept).</summary>
    public bool Retire(string reason) => Interlocked.CompareExchange(ref _retireReason, reason, null) is null;

    /// <summary>Takes one unit of lease capacity if the count is still <paramref name="observed"/>.</summary>
    public bool TryAddLease(int observed) =>
        observed >= 0 && observed < _slotVersions.Length && Interlocked.CompareExchange(ref _leases, observed + 1, observed) == observed;

    /// <summary>Takes one unit of lease capacity, whatever the count is.</summary>
    public bool TryAddLease()
    {
        for (var spins = 0; spins < 64; spins++)
        {
            var observed = Volatile.Read(ref _leases);
            if (observed < 0 || observed >= _slotVersions.Length)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _leases, observed + 1, observed) == observed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives back one unit of capacity; returns the leases left.</summary>
    public int RemoveLease() => Interlocked.Decrement(ref _leases);

    /// <summary>Closes an idle connection for good; false if it carries a lease or was closed already.</summary>
    public bool TryClose() => Interlocked.CompareExchange(ref _leases, Closed, 0) == 0;

    /// <summary>Closes the connection whatever it carries (disposal after the drain bound).</summary>
    public void ForceClose() => Volatile.Write(ref _leases, Closed);

    /// <summary>
    /// Claims a free lease slot for capacity already taken with <see cref="TryAddLease(int)"/>; a free slot exists
    /// because slots outnumber capacity units.
    /// </summary>
    public (int Slot, long Version) ClaimSlot(long now)
    {
        var length = _slotVersions.Length;
        if (length == 1)
        {
            // Exclusive leases: whoever holds the one unit of capacity is the only claimant of the one slot, and the
            // compare-exchange that gave it the unit ordered it after the previous holder freed the slot.
            var next = Volatile.Read(ref _slotVersions[0]) + 1;
            if ((next & 1) == 0)
            {
                throw new InvalidOperationException($"Connection {Id} lent its only lease slot twice: the pool's counters are inconsistent.");
            }

            Volatile.Write(ref _slotLentAt[0], now);
            Volatile.Write(ref _slotVersions[0], next);
            return (0, next);
        }

        var start = (int)((uint)Volatile.Read(ref _slotHint) % (uint)length);
        for (var round = 0; round < 1024; round++)
        {
            for (var i = 0; i < length; i++)
            {
                var slot = start + i;
                if (slot >= length)
                {
                    slot -= length;
                }

                var version = Volatile.Read(ref _slotVersions[slot]);
                if ((version & 1) == 0 && Interlocked.CompareExchange(ref _slotVersions[slot], version + 1, version) == version)
                {
                    Volatile.Write(ref _slotLentAt[slot], now);
                    return (slot, version + 1);
                }
            }

            // A releaser frees its slot just after returning capacity; another pass finds it.
            Thread.Yield();
        }

        throw new InvalidOperationException($"Connection {Id} has lease capacity but no free lease slot: the pool's counters are inconsistent.");
    }

    /// <summary>Remembers where a lease was acquired, for the leak warning (only when leak detection is on).</summary>
    public void SetTrace(int slot, StackTrace? trace)
    {
        if (_slotTraces is not null)
        {
            _slotTraces[slot] = trace;
        }
    }

    /// <summary>Frees the slot if this lease still holds it; false when it was returned already.</summary>
    public bool TryFreeSlot(int slot, long version, long now, out long lentAt)
    {
        lentAt = Volatile.Read(ref _slotLentAt[slot]);
        if (Interlocked.CompareExchange(ref _slotVersions[slot], version + 1, version) != version)
        {
            return false;
        }

        if (_slotTraces is not null)
        {
            _slotTraces[slot] = null;
        }

        Volatile.Write(ref _slotHint, slot);
        Volatile.Write(ref _lastReleasedAt, now);
        return true;
    }

    /// <summary>Leases lent before <paramref name="lentBefore"/> and not reported yet; each is reported once.</summary>
    public void CollectLeaks(long lentBefore, List<(int Slot, long LentAt, StackTrace? Trace)> leaks)
    {
        for (var slot = 0; slot < _slotVersions.Length; slot++)
        {
            var version = Volatile.Read(ref _slotVersions[slot]);
            var lentAt = Volatile.Read(ref _slotLentAt[slot]);
            if ((version & 1) == 1 && lentAt < lentBefore && Volatile.Read(ref _slotLeakReported[slot]) != version)
            {
                _slotLeakReported[slot] = version;
                leaks.Add((slot, lentAt, _slotTraces?[slot]));
            }
        }
    }
}
