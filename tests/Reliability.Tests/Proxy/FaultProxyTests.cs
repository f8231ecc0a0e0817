using System.Diagnostics;
using System.Net.Sockets;
using Reliability.Tests.Support;

namespace Reliability.Tests.Proxy;

/// <summary>The fault injector itself, over real loopback sockets to an echo server.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(20);
    private readonly EchoServer _echo = new();
    private FaultProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = FaultProxy.Start(_echo.Endpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Fact]
    public async Task PassThrough_RelaysBytesBothWays_AndCountsConnectionsAndBytes()
    {
        using var client = await ConnectAsync();

        Assert.Equal("hello", await EchoAsync(client, "hello"));

        Assert.Equal(1, _proxy.ConnectionsAccepted);
        Assert.Equal(1, _proxy.UpstreamConnectionsOpened);
        Assert.Equal(5, _proxy.BytesToServer);
        await Eventually.TrueAsync(() => _proxy.BytesToClient == 5, () => _proxy.Describe());
        Assert.Equal(1, _proxy.LiveConnections);
    }

    [Fact]
    public async Task Latency_DelaysEachReplyByAtLeastTheLatency()
    {
        _proxy.Latency = TimeSpan.FromMilliseconds(200);
        using var client = await ConnectAsync();

        var watch = Stopwatch.StartNew();
        Assert.Equal("ping", await EchoAsync(client, "ping"));

        // A lower bound only: the proxy can be late on a loaded machine, never early.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(195), $"the reply came after {watch.Elapsed.TotalMilliseconds:N0} ms");
    }

    [Fact]
    public async Task BlackHole_AcceptsAndNeverAnswers_ThenDeliversWhatItHeldWhenTrafficFlows()
    {
        _proxy.Mode = FaultMode.BlackHole;
        using var client = await ConnectAsync();
        await client.SendAsync("held"u8.ToArray(), SocketFlags.None);

        var buffer = new byte[16];
        var reply = client.ReceiveAsync(buffer, SocketFlags.None);
        await Eventually.TrueAsync(() => _proxy.ConnectionsAccepted == 1, () => _proxy.Describe());
        Assert.NotSame(reply, await Task.WhenAny(reply, Task.Delay(TimeSpan.FromMilliseconds(300))));
        Assert.Equal(0, _proxy.UpstreamConnectionsOpened);
        Assert.Equal(0, _echo.Accepted);

        _proxy.Mode = FaultMode.PassThrough;

        var read = await reply.WaitAsync(IoTimeout);
        Assert.Equal("held", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(1, _proxy.UpstreamConnectionsOpened);
    }

    [Fact]
    public async Task ResetAll_ResetsLiveConnections_AndNewOnesStillWork()
    {
        using var first = await ConnectAsync();
        Assert.Equal("a", await EchoAsync(first, "a"));

        Assert.Equal(1, _proxy.ResetAll());

        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            // The reset may land before or after this write; the read after it sees it either way.
            await first.SendAsync("b"u8.ToArray(), SocketFlags.None);
            var read = await first.ReceiveAsync(new byte[4], SocketFlags.None).WaitAsync(IoTimeout);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
        });
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await Eventually.TrueAsync(() => _proxy.LiveConnections == 0, () => _proxy.Describe());

        using var second = await ConnectAsync();
        Assert.Equal("c", await EchoAsync(second, "c"));
    }

    [Fact]
    public async Task ResetOnAccept_ResetsEveryNewConnection_AndCountsIt()
    {
        _proxy.Mode = FaultMode.ResetOnAccept;

        // The reset can reach the client during the connect or at its first read.
        int read;
        try
        {
            using var client = await ConnectAsync();
            read = await ReadOrResetAsync(client);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            read = -1;
        }

        Assert.True(read <= 0, "a refused connection carried data");
        await Eventually.TrueAsync(() => _proxy.ConnectionsRefused == 1, () => _proxy.Describe());
        Assert.Equal(0, _proxy.UpstreamConnectionsOpened);
    }

    [Fact]
    public async Task StopListening_RefusesConnections_AndStartListeningAcceptsAgainOnTheSamePort()
    {
        var port = _proxy.Port;
        _proxy.StopListening();

        var refused = await Assert.ThrowsAsync<SocketException>(ConnectAsync);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        _proxy.StartListening();
        Assert.Equal(port, _proxy.Port);
        using var client = await ConnectAsync();
        Assert.Equal("back", await EchoAsync(client, "back"));
    }

    [Fact]
    public async Task CutAfterBytes_RelaysExactlyThatManyBytes_ThenResets()
    {
        _proxy.CutAfterBytes = 10;
        using var client = await ConnectAsync();

        // 6 bytes out and 4 of the 6 echoed back make 10.
        await client.SendAsync("abcdef"u8.ToArray(), SocketFlags.None);
        var received = new List<byte>();
        var buffer = new byte[16];
        int read;
        while ((read = await ReadOrResetAsync(client, buffer)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        Assert.Equal("abcd", System.Text.Encoding.ASCII.GetString(received.ToArray()));
        await Eventually.TrueAsync(() => _proxy.ConnectionsCut == 1, () => _proxy.Describe());
        Assert.Equal(10, _proxy.BytesToServer + _proxy.BytesToClient);
    }

    [Fact]
    public void Start_UpstreamOffThisMachine_IsRefused() =>
        Assert.Throws<ArgumentException>(() => FaultProxy.Start(new Uri("http://192.0.2.1:6334")));

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, _proxy.Port).WaitAsync(IoTimeout);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> EchoAsync(Socket socket, string text)
    {
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), SocketFlags.None);
        var buffer = new byte[text.Length];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(IoTimeout);
            Assert.True(read > 0, "the connection closed before the echo came back");
            total += read;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Bytes read, 0 at a clean end, -1 at a reset.</summary>
    private static async Task<int> ReadOrResetAsync(Socket socket, byte[]? buffer = null)
    {
        try
        {
            return await socket.ReceiveAsync(buffer ?? new byte[16], SocketFlags.None).WaitAsync(IoTimeout);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return -1;
        }
    }
}
