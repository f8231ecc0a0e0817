using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>
/// Which connection a borrower gets: fill one connection up to a concurrency target before borrowing on the next, the
/// way .NET's HTTP/2 handler opens another connection only when one is full.
/// </summary>
/// <remarks>
/// Why not spread evenly: one HTTP/2 connection batches the frames of its concurrent calls into fewer writes and reads
/// on both ends, so every call a connection shares makes the others cheaper in CPU. Where cores are few that saving is
/// the whole game: on 2 cores, 10 callers spread over 5 connections ran at 0.71–0.94× one shared channel. Where cores
/// are many, one connection's single read loop becomes the ceiling and more connections pay (16 cores: 1.5× at 10
/// callers, 3.3× at 64). So the target shrinks as cores grow: <see cref="DefaultLeasesBeforeSpreading"/>. The figures
/// and the command that measures them are in benchmarks/QdrantPool.LoadHarness/README.md.
/// </remarks>
public sealed partial class QdrantConnectionPool
{
    // Bounds of the derived target. 32, half the 64 leases a connection may carry by default: even a one-core process
    // opens a second connection well before the first is full. 2: however many cores, calls still pair up on a
    // connection rather than fall back to the old even spread (16 cores gained as much from 4–8 channels as from more).
    private const int MostLeasesBeforeSpreading = 32;
    private const int FewestLeasesBeforeSpreading = 2;

    private int _leasesBeforeSpreading = DefaultLeasesBeforeSpreading(Environment.ProcessorCount);

    /// <summary>
    /// Leases a connection carries before the next borrower goes to another connection, and before a new connection
    /// is opened; never more than MaxLeasesPerConnection. Settable for tests and the load harness: 1 is the old
    /// least-loaded policy (spread over every open connection, open another whenever all carry a lease).
    /// </summary>
    internal int LeasesBeforeSpreading
    {
        get => Math.Min(Volatile.Read(ref _leasesBeforeSpreading), _maxLeases);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _leasesBeforeSpreading, value);
        }
    }

    /// <summary>
    /// 32 leases per connection divided by the cores beyond the first (<see cref="Environment.ProcessorCount"/>
    /// honours affinity and container limits), between 2 and 32: 32 on 1 or 2 cores, 16 on 3, 8 on 5, 4 on 8, 2 from
    /// 17 up. The cores beyond the first are the ones that can run other connections' reads and writes in parallel;
    /// with none or one to spare, sharing one connection's batched frames is worth more (on 2 cores, 64 callers ran
    /// best on one or two connections, at the singleton's CPU per call; four cost 8–12 % more per call).
    /// </summary>
    internal static int DefaultLeasesBeforeSpreading(int processorCount) =>
        Math.Clamp(MostLeasesBeforeSpreading / Math.Max(1, processorCount - 1), FewestLeasesBeforeSpreading, MostLeasesBeforeSpreading);

    /// <summary>
    /// The connection to borrow on, or null when none has spare capacity. Below the target: the first connection in
    /// slot order that is still below it, as .NET's HTTP/2 handler takes the first connection with a free stream, so
    /// load gathers on the lowest slots and the rest idle out. Every connection at or past the target: the least
    /// loaded, so an overloaded pool spreads evenly up to MaxLeases. <paramref name="leases"/> is the chosen
    /// connection's count as read, for the compare-exchange that claims it.
    /// </summary>
    /// <remarks>
    /// No lock and no allocation. The pass stops at the first connection below the target, so an uncontended borrow
    /// reads one slot, as the old least-loaded scan did when it stopped at the first idle connection; the connections
    /// it passes are retired if found past their time, as before.
    /// </remarks>
    private PooledConnection? SelectConnection(long now, int generation, out int leases)
    {
        var target = LeasesBeforeSpreading;
        PooledConnection? spreading = null;
        var spreadingLeases = int.MaxValue;
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

            if (count < target)
            {
                leases = count;
                return connection;
            }

            if (count < spreadingLeases)
            {
                spreading = connection;
                spreadingLeases = count;
            }
        }

        leases = spreading is null ? 0 : spreadingLeases;
        return spreading;
    }
}
