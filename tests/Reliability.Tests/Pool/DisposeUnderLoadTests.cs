using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>The pool is disposed while callers are in the middle of calls.</summary>
public sealed class DisposeUnderLoadTests(ITestOutputHelper output)
{
    private const int Callers = 8;

    [Fact]
    public async Task DisposeAsync_UnderLoad_InFlightCallsFinishOrFailCleanly_AndNoSocketIsLeftOpen()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "needs /proc to count sockets");
        await using var rig = await PoolRig.StartAsync(output);
        var collection = await rig.CreateCollectionAsync();
        rig.Proxy.Latency = TimeSpan.FromMilliseconds(50);
        var pool = rig.CreatePool(o =>
        {
            o.MinSize = 3;
            o.MaxSize = 3;
            o.MaxLeasesPerConnection = 2;
            o.DisposeDrainTimeout = TimeSpan.FromSeconds(2);
        });
        await pool.InitializeAsync(CancellationToken.None);

        var outcomes = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentQueue<Exception>();
        var started = 0;
        string? lastDisposedMessage = null;
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    Interlocked.Increment(ref started);
                    await pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct));
                    outcomes.AddOrUpdate("ok", 1, (_, n) => n + 1);
                }
                catch (ObjectDisposedException ex)
                {
                    // The clear error: the pool is gone. This caller stops.
                    outcomes.AddOrUpdate(nameof(ObjectDisposedException), 1, (_, n) => n + 1);
                    lastDisposedMessage = ex.Message;
                    return;
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable)
                {
                    // A call on a connection closed past the drain bound.
                    outcomes.AddOrUpdate($"RpcException({ex.StatusCode})", 1, (_, n) => n + 1);
                }
                catch (Exception ex)
                {
                    unexpected.Enqueue(ex);
                    return;
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => outcomes.GetValueOrDefault("ok") >= 40, () => "40 reads before dispose");
        var disposing = Stopwatch.StartNew();
        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var disposedAfter = disposing.Elapsed;
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

        await Eventually.TrueAsync(
            () => TcpConnectionCounter.CountEstablishedTo(rig.Proxy.Port) == 0,
            () => $"every pool socket to close; {TcpConnectionCounter.CountEstablishedTo(rig.Proxy.Port)} still established; {rig.Proxy.Describe()}");
        output.WriteLine(
            $"disposed under {Callers} callers in {disposedAfter.TotalMilliseconds:N0} ms (DisposeDrainTimeout 2 s); outcomes: " +
            string.Join(", ", outcomes.Select(o => $"{o.Key} × {o.Value}")) + $"; sockets left established: 0; {pool.GetStats()}");
        output.WriteLine($"what a caller after dispose is told: {lastDisposedMessage}");

        Assert.Empty(unexpected);
        Assert.Equal(Callers, outcomes.GetValueOrDefault(nameof(ObjectDisposedException)));
    }
}
