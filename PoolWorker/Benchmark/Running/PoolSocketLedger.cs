using System.Diagnostics.Metrics;
using QdrantPool;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Which of this process's TCP connections to the server one pool opened, from the OS's list of this process's
/// sockets and the pool's own "connection created" measurement (<c>db.client.connection.create_time</c>, recorded once
/// the new connection is established, tagged with the pool's name): at each one, the new socket is the pool's. So a
/// scenario counts its own pool's connections, not another pool's (under the web host, PoolWorker's DI pool
/// reconnects after the recovery scenario's restart at its own moment). Sockets open before the ledger started are
/// never the pool's. When more than one unclaimed socket is there, one the sampler has not seen yet is preferred (the
/// pool's is a few microseconds old); only another pool connecting within the same sampling interval (20 ms) can
/// make the ledger take its socket for this pool's.
/// </summary>
internal sealed class PoolSocketLedger : IDisposable
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private readonly int? _port;
    private readonly string _pool;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _atStart = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _own = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public PoolSocketLedger(int? port, string poolName)
    {
        _port = port;
        _pool = poolName;
        if (IsSupported)
        {
            _atStart.UnionWith(TcpConnectionCounter.EstablishedTo(port!.Value));
        }

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && instrument.Name == "db.client.connection.create_time")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnConnectionCreated);
        _listener.Start();
    }

    /// <summary>Whether the connection (its local end as /proc writes it) is the pool's; the sampler asks about every connection it sees.</summary>
    public bool IsOwn(string localEnd)
    {
        lock (_gate)
        {
            _seen.Add(localEnd);
            return _own.Contains(localEnd);
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool IsSupported => _port is not null && TcpConnectionCounter.IsSupported;

    private void OnConnectionCreated(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var ours = false;
        foreach (var tag in tags)
        {
            ours |= tag.Key == PoolNameTag && tag.Value is string name && name == _pool;
        }

        if (!ours || !IsSupported)
        {
            return;
        }

        lock (_gate)
        {
            var candidates = TcpConnectionCounter.EstablishedTo(_port!.Value).Where(end => !_atStart.Contains(end) && !_own.Contains(end)).ToList();
            var claimed = candidates.FirstOrDefault(end => !_seen.Contains(end)) ?? candidates.FirstOrDefault();
            if (claimed is not null)
            {
                _own.Add(claimed);
            }
        }
    }
}
