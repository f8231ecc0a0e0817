using System.Collections.Concurrent;
using System.Diagnostics;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>Every reply from Qdrant comes 200 ms late.</summary>
public sealed class SlowServerTests(ITestOutputHelper output)
{
    private const int Callers = 16;
    private const int CallsEach = 8;
    private const int MaxSize = 3;

    /// <summary>Every /proc/net/tcp{,6} line with the port on either side: for the failure message only.</summary>
    private static string ProcNetTcp(int port)
    {
        var hex = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(Environment.NewLine, new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Where(line => line.Contains(hex + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExecuteAsync_SlowServer_NoTimeoutsBelowAcquireTimeout_AndNeverMoreThanMaxSizeConnections()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "needs /proc to count sockets");
        await using var rig = await PoolRig.StartAsync(output);
        var collection = await rig.CreateCollectionAsync();
        rig.Proxy.Latency = TimeSpan.FromMilliseconds(200);
        await using var pool = rig.CreatePool(o =>
        {
            o.MinSize = 1;
            o.MaxSize = MaxSize;

            // 6 leases for 16 callers: most calls wait for a lease, well within AcquireTimeout.
            o.MaxLeasesPerConnection = 2;
            o.AcquireTimeout = TimeSpan.FromSeconds(10);
        });
        await pool.InitializeAsync(CancellationToken.None);

        var maxSockets = 0;
        var atPeak = "";
        var maxProxied = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var sockets = TcpConnectionCounter.CountEstablishedTo(rig.Proxy.Port);
                if (sockets > maxSockets)
                {
                    maxSockets = sockets;
                    atPeak = ProcNetTcp(rig.Proxy.Port);
                }

                maxProxied = Math.Max(maxProxied, rig.Proxy.LiveConnections);
                await Task.Delay(10, CancellationToken.None);
            }
        });

        var durations = new ConcurrentBag<TimeSpan>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < CallsEach; i++)
            {
                var call = Stopwatch.StartNew();
                await pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct));
                durations.Add(call.Elapsed);
            }
        })));
        var elapsed = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        var sorted = durations.OrderBy(d => d).ToArray();
        var stats = pool.GetStats();
        output.WriteLine(
            $"{Callers} callers × {CallsEach} reads at +200 ms per reply in {elapsed.TotalSeconds:N1} s: p50 {sorted[sorted.Length / 2].TotalMilliseconds:N0} ms, " +
            $"max {sorted[^1].TotalMilliseconds:N0} ms; at most {maxSockets} sockets (OS) / {maxProxied} proxied connections, MaxSize {MaxSize}; " +
            $"max acquire wait {stats.MaxAcquireTime.TotalMilliseconds:N0} ms; {stats}");

        Assert.Equal(Callers * CallsEach, durations.Count);
        Assert.Equal(0, stats.TotalTimeouts);
        Assert.True(maxSockets is >= 1 and <= MaxSize, $"{maxSockets} sockets to the proxy's port at the peak; /proc/net/tcp* lines with the port then:{Environment.NewLine}{atPeak}");
        Assert.InRange(maxProxied, 1, MaxSize);
        Assert.True(rig.Proxy.ConnectionsAccepted <= MaxSize, rig.Proxy.Describe());
    }
}
