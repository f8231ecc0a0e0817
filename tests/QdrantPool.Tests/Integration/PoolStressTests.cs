using System.Diagnostics;
using Xunit.Abstractions;

namespace QdrantPool.Tests.Integration;

[Collection(EmulatorCollection.Name)]
public class PoolStressTests(EmulatorFixture emulator, ITestOutputHelper output)
{
    private const int Workers = 64;
    private const int TotalLeases = 100_000;
    private const int MaxSize = 5;

    [Fact]
    public async Task AcquireAsync_64TasksTake100000ExclusiveLeases_NeverMoreThanFiveTcpConnections()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "Counting TCP connections needs Linux /proc.");
        var port = emulator.Endpoint.Port;

        // Tests in this collection run one at a time; wait out sockets an earlier test's pool is still closing.
        await Support.PoolTestContext.WaitUntilAsync(() => TcpConnectionCounter.CountEstablishedTo(port) == 0, () => "no connection to the emulator before the run");
        await using var pool = new QdrantConnectionPool(emulator.Options(o =>
        {
            o.MaxSize = MaxSize;
            o.MinSize = MaxSize;
            o.MaxLeasesPerConnection = 1;
            o.AcquireTimeout = TimeSpan.FromSeconds(30);
        }));
        await pool.InitializeAsync(CancellationToken.None);

        var remaining = TotalLeases;
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var samples = 0;
        var maxSeen = 0;
        IReadOnlyList<string> busiestSample = [];
        var clientEnds = new HashSet<string>(StringComparer.Ordinal);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var established = TcpConnectionCounter.EstablishedTo(port);
                clientEnds.UnionWith(established);
                if (established.Count > maxSeen)
                {
                    maxSeen = established.Count;
                    busiestSample = established;
                }

                samples++;
                // Reading /proc costs CPU the run itself needs on a small machine; 20 ms still gives hundreds of samples.
                await Task.Delay(20, CancellationToken.None);
            }
        });

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await using var lease = await pool.AcquireAsync();
                await lease.Client.CollectionExistsAsync("stress");
                Interlocked.Increment(ref calls);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        clock.Stop();
        await stop.CancelAsync();
        await sampler;

        var stats = pool.GetStats();
        output.WriteLine(
            $"{TotalLeases:N0} leases by {Workers} tasks on {MaxSize} exclusive connections in {clock.Elapsed.TotalSeconds:0.0} s " +
            $"({TotalLeases / clock.Elapsed.TotalSeconds:N0} leases/s); {samples} TCP samples, max {maxSeen} established, {clientEnds.Count} distinct client sockets; " +
            $"acquire avg {stats.AverageAcquireTime.TotalMilliseconds:0.000} ms, p95 of the last 1,024 (the run winding down) {stats.P95AcquireTime.TotalMilliseconds:0.000} ms, max {stats.MaxAcquireTime.TotalMilliseconds:0.0} ms");

        Assert.Equal(TotalLeases, calls);
        Assert.True(samples > 10, $"only {samples} samples of the TCP table were taken");
        // On failure, name the sockets and the pool's own view, so a socket opened behind the pool's back is told apart from one it made.
        Assert.True(maxSeen is >= 1 and <= MaxSize,
            $"{maxSeen} established at once ({string.Join(", ", busiestSample)}); {clientEnds.Count} distinct over the run; " +
            $"pool created {stats.ConnectionsCreated}, recycled {stats.ConnectionsRecycled}, failed creations {stats.FailedCreations}, failed checks {stats.HealthCheckFailures}");
        Assert.Equal(0, stats.ActiveLeases);
        Assert.Equal(0, stats.PendingWaiters);
        Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
        Assert.True(stats.TotalAcquires >= TotalLeases);
        Assert.Equal(MaxSize, stats.ConnectionsCreated);
        Assert.Equal(0, stats.TotalTimeouts);
    }
}
