using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Reliability.Tests.Support;

/// <summary>
/// A fault-injecting TCP proxy for tests (a fake network, named as such): listens on loopback port 0 and relays to one
/// loopback upstream (the emulator, or a real Qdrant given by QDRANT_TEST_ENDPOINT). Faults are switched at run time:
/// <see cref="Mode"/> (pass through, black hole, reset on accept), <see cref="Latency"/> added to every reply,
/// <see cref="ResetAll"/> live connections, <see cref="StopListening"/> (connection refused) and
/// <see cref="CutAfterBytes"/> for new connections.
/// </summary>
/// <remarks>
/// What it counts: TCP connections (accepted, refused, opened upstream, live) and bytes each way, from its own sockets;
/// and requests that reached the server, read from the HTTP/2 frame headers it wrote upstream (one HEADERS frame per
/// gRPC call; see <see cref="Http2RequestCounter"/>). A call held by a black hole is not counted until it is delivered.
/// </remarks>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<long, ProxiedConnection> _live = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _flowing = NewFlowing(completed: true);
    private FaultMode _mode;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _latencyTicks;
    private long _cutAfterBytes = -1;
    private long _nextId;
    private long _accepted;
    private long _refused;
    private long _upstreamOpened;
    private long _upstreamFailed;
    private long _cuts;
    private long _bytesToServer;
    private long _bytesToClient;
    private long _requests;

    private FaultProxy(IPEndPoint upstream, int port)
    {
        _upstream = upstream;
        Port = port;
    }

    /// <summary>The port the proxy listens on (chosen by the OS at start, kept across <see cref="StopListening"/>).</summary>
    public int Port { get; private set; }

    /// <summary>The address to give a gRPC client instead of the upstream's.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public FaultMode Mode
    {
        get => _mode;
        set
        {
            lock (_gate)
            {
                _mode = value;
                if (value == FaultMode.BlackHole && _flowing.Task.IsCompleted)
                {
                    _flowing = NewFlowing(completed: false);
                }
                else if (value != FaultMode.BlackHole)
                {
                    _flowing.TrySetResult();
                }
            }
        }
    }

    /// <summary>Added to every server-to-client chunk (a delay line: bytes are late, throughput is unchanged).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Connections accepted from now on are reset after relaying this many bytes (both directions together); null: never.</summary>
    public long? CutAfterBytes
    {
        get => Interlocked.Read(ref _cutAfterBytes) is var n and >= 0 ? n : null;
        set => Interlocked.Exchange(ref _cutAfterBytes, value ?? -1);
    }

    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections reset at accept in <see cref="FaultMode.ResetOnAccept"/>.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _refused);

    /// <summary>Connections that reached the server.</summary>
    public long UpstreamConnectionsOpened => Interlocked.Read(ref _upstreamOpened);

    /// <summary>Connections reset because the server could not be reached.</summary>
    public long UpstreamConnectionsFailed => Interlocked.Read(ref _upstreamFailed);

    public long ConnectionsCut => Interlocked.Read(ref _cuts);

    public int LiveConnections => _live.Count;

    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>HTTP/2 requests (gRPC calls) delivered to the server.</summary>
    public long RequestsToServer => Interlocked.Read(ref _requests);

    public static FaultProxy Start(Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);

        // Loopback only: the proxy is a test fixture, never a route off this machine.
        var address = upstream.IsLoopback
            ? (upstream.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback : IPAddress.Parse(upstream.Host))
            : throw new ArgumentException($"The proxy relays to loopback only, not {upstream}.", nameof(upstream));
        var proxy = new FaultProxy(new IPEndPoint(address, upstream.Port), port: 0);
        proxy.StartListening();
        return proxy;
    }

    /// <summary>Listens again (on the same port) after <see cref="StopListening"/>.</summary>
    public void StartListening()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

            // Only to listen again on our own port (its closed connections may sit in TIME_WAIT). Not for the first
            // bind: with it, Linux may hand out a port that other sockets of this process are still connected to,
            // and counting connections to the port from /proc would count theirs too.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, Port != 0);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            listener.Listen(512);
            Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            _listener = listener;
            _acceptLoop = AcceptAsync(listener);
        }
    }

    /// <summary>Closes the listening socket: new connections are refused by the OS (ECONNREFUSED); live ones carry on.</summary>
    public void StopListening()
    {
        lock (_gate)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    /// <summary>Resets every live connection (both sides); returns how many.</summary>
    public int ResetAll()
    {
        var reset = 0;
        foreach (var connection in _live.Values)
        {
            connection.Reset();
            reset++;
        }

        return reset;
    }

    public string Describe() =>
        $"proxy :{Port} → {_upstream}: {ConnectionsAccepted} accepted, {ConnectionsRefused} refused, {UpstreamConnectionsOpened} opened upstream, " +
        $"{UpstreamConnectionsFailed} upstream failures, {ConnectionsCut} cut, {LiveConnections} live; {RequestsToServer} requests, " +
        $"{BytesToServer:N0} B to server, {BytesToClient:N0} B to client";

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        StopListening();
        Mode = FaultMode.PassThrough;
        ResetAll();
        await _acceptLoop;
        await Task.WhenAll(_live.Values.Select(c => c.Completion)).WaitAsync(TimeSpan.FromSeconds(10));
        _disposed.Dispose();
    }

    internal Task WhenFlowingAsync(CancellationToken cancellationToken)
    {
        Task flowing;
        lock (_gate)
        {
            flowing = _flowing.Task;
        }

        return flowing.IsCompleted ? Task.CompletedTask : flowing.WaitAsync(cancellationToken);
    }

    internal void OnUpstreamOpened() => Interlocked.Increment(ref _upstreamOpened);

    internal void OnUpstreamFailed() => Interlocked.Increment(ref _upstreamFailed);

    internal void OnCut() => Interlocked.Increment(ref _cuts);

    internal void OnRelayed(int bytes, bool toServer, int requests)
    {
        Interlocked.Add(ref toServer ? ref _bytesToServer : ref _bytesToClient, bytes);
        if (requests > 0)
        {
            Interlocked.Add(ref _requests, requests);
        }
    }

    internal void OnConnectionClosed(ProxiedConnection connection) => _live.TryRemove(connection.Id, out _);

    private async Task AcceptAsync(Socket listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_disposed.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            client.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            if (Mode == FaultMode.ResetOnAccept)
            {
                Interlocked.Increment(ref _refused);
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            var connection = new ProxiedConnection(this, client, Interlocked.Increment(ref _nextId), CutAfterBytes);
            _live[connection.Id] = connection;
            connection.Start(_upstream);
        }
    }

    private static TaskCompletionSource NewFlowing(bool completed)
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            flowing.SetResult();
        }

        return flowing;
    }
}
