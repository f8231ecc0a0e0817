using System.Collections.Concurrent;
using System.Diagnostics;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>Live connections are reset (both sides, TCP RST) while calls are in flight.</summary>
public sealed class ConnectionResetTests(ITestOutputHelper output)
{
    private const int Callers = 8;
    private const int Resets = 5;

    [Fact]
    public async Task ExecuteAsync_ConnectionsResetMidCall_ReadsAndIdWritesAreRetriedAndSucceed_AndABrokenConnectionIsNeverLentAgain()
    {
        await using var rig = await PoolRig.StartAsync(output);
        var collection = await rig.CreateCollectionAsync();

        // Replies 30 ms late keep calls in flight, so a reset lands in the middle of some.
        rig.Proxy.Latency = TimeSpan.FromMilliseconds(30);
        await using var pool = rig.CreatePool(o =>
        {
            o.MinSize = 2;
            o.MaxSize = 2;
            o.MaxRetryAttempts = 3;
        });
        await pool.InitializeAsync(CancellationToken.None);

        // Phase 1: mixed load, connections reset under it. Every attempt that fails marks the client it ran on as broken.
        var broken = new ConcurrentDictionary<QdrantClient, byte>(ReferenceEqualityComparer.Instance);
        var failedAttempts = 0;
        var callerErrors = new ConcurrentQueue<Exception>();
        var written = new ConcurrentBag<ulong>();
        var reads = 0;
        var nextId = 0L;
        using var stop = new CancellationTokenSource();

        async Task<T> Tracked<T>(QdrantClient client, Func<Task<T>> attempt)
        {
            try
            {
                return await attempt();
            }
            catch
            {
                broken.TryAdd(client, 0);
                Interlocked.Increment(ref failedAttempts);
                throw;
            }
        }

        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = (ulong)Interlocked.Increment(ref nextId);
                try
                {
                    await pool.WriteByIdAsync((client, ct) => Tracked(client, () => client.UpsertAsync(collection, [PoolRig.Point(id)], wait: true, cancellationToken: ct)));
                    written.Add(id);
                    var found = await pool.ReadAsync((client, ct) => Tracked(client, () => client.RetrieveAsync(collection, id, withPayload: false, cancellationToken: ct)));
                    Assert.Single(found);
                    Interlocked.Increment(ref reads);
                }
                catch (Exception ex)
                {
                    callerErrors.Enqueue(ex);
                }
            }
        })).ToArray();

        var watch = Stopwatch.StartNew();
        var resetsDone = 0;
        var resetConnections = 0;
        try
        {
            for (var round = 0; round < Resets; round++)
            {
                var before = written.Count;
                await Eventually.TrueAsync(() => written.Count >= before + 20, () => $"20 more writes before reset {round + 1}; {written.Count - before}; errors: {callerErrors.Count}");
                resetConnections += rig.Proxy.ResetAll();
                resetsDone++;
            }

            var last = written.Count;
            await Eventually.TrueAsync(() => written.Count >= last + 20, () => $"20 writes after the last reset; {written.Count - last}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        }

        var phase1 = watch.Elapsed;

        // Phase 2: every earlier attempt has ended, so a client marked broken that is lent now was lent after its failure.
        var lentBroken = 0;
        var phase2Calls = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await pool.ReadAsync((client, ct) =>
                {
                    if (broken.ContainsKey(client))
                    {
                        Interlocked.Increment(ref lentBroken);
                    }

                    Interlocked.Increment(ref phase2Calls);
                    return client.CountAsync(collection, exact: true, cancellationToken: ct);
                });
            }
        })));

        var stats = pool.GetStats();
        var stored = await rig.Direct.RetrieveAsync(collection, written.Select(id => new PointId { Num = id }).ToList(), withPayload: false);
        output.WriteLine(
            $"{resetsDone} resets ({resetConnections} connections reset) under {Callers} callers in {phase1.TotalSeconds:N1} s: " +
            $"{written.Count} writes and {reads} reads succeeded, {failedAttempts} attempts failed and were retried, {callerErrors.Count} caller errors; " +
            $"broken clients {broken.Count}, lent again afterwards {lentBroken} of {phase2Calls}; pool: {stats}");

        Assert.True(failedAttempts > 0, "no reset landed mid-call, so the test proved nothing");
        Assert.Empty(callerErrors);
        Assert.Equal(written.Count, stored.Count);
        Assert.Equal(0, lentBroken);
        Assert.True(stats.ConnectionsCreated > 2, $"the broken connections were not replaced: {stats}");
        Assert.Equal(0, stats.ActiveLeases);
        Assert.InRange(stats.TotalConnections, 1, 2);
    }
}
