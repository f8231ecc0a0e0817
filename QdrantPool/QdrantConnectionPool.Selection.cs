using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>Which open connection a borrower gets: the policy, kept apart from the leasing state machine that applies it.</summary>
public sealed partial class QdrantConnectionPool
{
    /// <summary>
    /// Picks the connection to lend from: today the least-loaded open connection with spare capacity (the first idle one
    /// ends the scan). Returns null when none has room; <paramref name="leases"/> is the chosen connection's lease count
    /// as seen, which the caller's compare-exchange must still find.
    /// </summary>
    /// <remarks>
    /// Lock-free and allocation-free, and may run under no lock at all. Its only side effect: a connection found past
    /// its lifetime or from a cleared generation is retired on the spot (closed now if idle) rather than at the next
    /// housekeeping pass. It must not dispatch.
    /// </remarks>
    private PooledConnection? SelectConnection(long now, int generation, out int leases)
    {
        PooledConnection? best = null;
        var bestLeases = int.MaxValue;
        foreach (var connection in _slots)
        {
            if (connection is null)
            {
                continue;
            }

            var count = connection.Leases;
            if (count < 0 || count >= _maxLeases || connection.IsRetiring)
            {
                continue;
            }

            if (connection.Generation != generation || now >= connection.ExpiresAt)
            {
                connection.Retire(connection.Generation != generation ? RetireReasons.Cleared : RetireReasons.Lifetime);
                RetireIfIdle(connection);
                continue;
            }

            if (count < bestLeases)
            {
                best = connection;
                bestLeases = count;
                if (count == 0)
                {
                    break;
                }
            }
        }

        leases = best is null ? 0 : bestLeases;
        return best;
    }
}
