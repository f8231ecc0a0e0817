using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Reliability.Tests.Support;

/// <summary>
/// One client connection through <see cref="FaultProxy"/>: the accepted socket, its upstream socket, and one relay per
/// direction. Each relay reads into a queue and a writer drains it, so latency delays bytes without slowing the
/// reader (a delay line, not a throttle), and a black hole holds bytes in the queue until traffic flows again.
/// </summary>
internal sealed class ProxiedConnection
{
    private const int ChunkSize = 16 * 1024;

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly long _cutAfterBytes;
    private readonly Http2RequestCounter _requests = new();
    private readonly CancellationTokenSource _closed = new();
    private Socket? _upstream;
    private long _relayed;
    private int _closing;

    public ProxiedConnection(FaultProxy proxy, Socket client, long id, long? cutAfterBytes)
    {
        _proxy = proxy;
        _client = client;
        Id = id;
        _cutAfterBytes = cutAfterBytes ?? long.MaxValue;
    }

    public long Id { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(IPEndPoint upstream) => Completion = RunAsync(upstream);

    /// <summary>Closes both sides with a TCP reset (linger 0), as a crashed peer or a middlebox would.</summary>
    public void Reset()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closed.Cancel();
        Abort(_client);
        if (Volatile.Read(ref _upstream) is { } upstream)
        {
            Abort(upstream);
        }
    }

    private async Task RunAsync(IPEndPoint upstreamEndPoint)
    {
        var toServer = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var toClient = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        try
        {
            // The client's bytes are read (and held) even while the upstream is not connected yet: a black hole accepts.
            var fromClient = ReadAsync(_client, toServer.Writer, addLatency: false);
            var flowing = _proxy.WhenFlowingAsync(_closed.Token);
            if (await Task.WhenAny(fromClient, flowing) == fromClient && !flowing.IsCompleted)
            {
                // The client gave up while the traffic was held.
                return;
            }

            await flowing;

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await upstream.ConnectAsync(upstreamEndPoint, _closed.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                upstream.Dispose();
                _proxy.OnUpstreamFailed();
                Reset();
                return;
            }

            Volatile.Write(ref _upstream, upstream);
            _proxy.OnUpstreamOpened();
            if (Volatile.Read(ref _closing) != 0)
            {
                Abort(upstream);
                return;
            }

            var fromServer = ReadAsync(upstream, toClient.Writer, addLatency: true);
            var writers = new[]
            {
                WriteAsync(toServer.Reader, upstream, countRequests: true),
                WriteAsync(toClient.Reader, _client, countRequests: false),
            };

            // A writer ends once its reader ended (EOF, error, reset) and what was read is passed on, or when it cannot
            // write: the first direction to end ends the connection.
            await Task.WhenAny(writers);
            Close();
            await Task.WhenAll(fromClient, fromServer, writers[0], writers[1]);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Close();
            _proxy.OnConnectionClosed(this);
        }
    }

    private async Task ReadAsync(Socket from, ChannelWriter<Chunk> queue, bool addLatency)
    {
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkSize];
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _closed.Token);
                if (read == 0)
                {
                    break;
                }

                // Cut after N bytes: relay up to the limit, then reset both sides.
                var total = Interlocked.Add(ref _relayed, read);
                var cut = total >= _cutAfterBytes;
                if (cut)
                {
                    read -= (int)(total - _cutAfterBytes);
                }

                var due = addLatency ? Stopwatch.GetTimestamp() + (long)(_proxy.Latency.TotalSeconds * Stopwatch.Frequency) : 0;
                if (read > 0)
                {
                    queue.TryWrite(new Chunk(buffer, read, due, cut));
                }
                else if (cut)
                {
                    _proxy.OnCut();
                    Reset();
                }

                if (cut)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private async Task WriteAsync(ChannelReader<Chunk> queue, Socket to, bool countRequests)
    {
        try
        {
            await foreach (var chunk in queue.ReadAllAsync(_closed.Token))
            {
                await _proxy.WhenFlowingAsync(_closed.Token);
                var wait = chunk.Due == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), chunk.Due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _closed.Token);
                }

                await to.SendAsync(chunk.Bytes.AsMemory(0, chunk.Length), SocketFlags.None, _closed.Token);
                _proxy.OnRelayed(chunk.Length, toServer: countRequests, countRequests ? _requests.Feed(chunk.Bytes.AsSpan(0, chunk.Length)) : 0);
                if (chunk.CutHere)
                {
                    _proxy.OnCut();
                    Reset();
                    return;
                }
            }

            // The reading side ended cleanly: pass the end on.
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closed.Cancel();
        _client.Dispose();
        Volatile.Read(ref _upstream)?.Dispose();
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private readonly record struct Chunk(byte[] Bytes, int Length, long Due, bool CutHere);
}
