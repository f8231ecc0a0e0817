using System.Diagnostics.Metrics;
using QdrantPool;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Which pool of this process opened which TCP connection to the server, from the OS's list of this process's
/// sockets and the pools' own "connection created" measurements (<c>db.client.connection.create_time</c>, recorded
/// once the new connection is established): at each one, the one new socket is the pool's. So a scenario counts only
/// its own pool's connections, not those of another pool in the process (under the web host, PoolWorker's DI pool
/// reconnects after the recovery scenario's restart at its own moment). Sockets open before the ledger started, or
/// a baseline client's still closing, are nobody's. Two pools opening a connection in the same instant may swap
/// their two sockets; their counts stay right while both sockets live.
/// </summary>
internal sealed class PoolSocketLedger : IDisposable
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private readonly int? _port;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string?> _owners = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public PoolSocketLedger(int? port)
    {
        _port = port;
        MarkForeign();
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

    private void MarkForeign()
    {
        if (!IsSupported)
        {
            return;
        }

        foreach (var end in TcpConnectionCounter.EstablishedTo(_port!.Value))
        {
            _owners.TryAdd(end, null);
        }
    }

    /// <summary>Whether the connection (its local end as /proc writes it) was opened by the named pool.</summary>
    public bool IsOwnedBy(string localEnd, string poolName)
    {
        lock (_gate)
        {
            return _owners.TryGetValue(localEnd, out var owner) && owner == poolName;
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool IsSupported => _port is not null && TcpConnectionCounter.IsSupported;

    private void OnConnectionCreated(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        foreach (var tag in tags)
        {
            if (tag.Key == PoolNameTag)
            {
                pool = tag.Value as string;
            }
        }

        if (pool is null || !IsSupported)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var end in TcpConnectionCounter.EstablishedTo(_port!.Value))
            {
                if (_owners.TryAdd(end, pool))
                {
                    return;
                }
            }
        }
    }
}
