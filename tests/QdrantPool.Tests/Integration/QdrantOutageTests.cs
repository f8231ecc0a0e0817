using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;
using Xunit.Abstractions;

namespace QdrantPool.Tests.Integration;

/// <summary>
/// Qdrant goes away under load and comes back on the same port and folder: callers fail (fast, once the circuit
/// opens) instead of hanging, no lease is lost, the pool recovers by itself, and every acknowledged write is there.
/// </summary>
public sealed class QdrantOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "outage-test-key";
    private const string Collection = "outage";
    private const int Callers = 8;

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "qdrantpool-outage-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = LoopbackPort.Free();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task ExecuteAsync_QdrantStopsMidLoadAndComesBack_FailsFastThenRecoversWithNothingLost()
    {
        var server = await StartServerAsync();
        await using var pool = new QdrantConnectionPool(new QdrantConnectionPoolOptions
        {
            Name = "outage",
            Endpoint = new Uri($"http://127.0.0.1:{_port}"),
            ApiKey = Key,
            MaxSize = 3,
            MinSize = 3,
            AcquireTimeout = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            CircuitBreakerMinimumThroughput = 4,
            CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(2),
            CircuitBreakerBreakDuration = TimeSpan.FromSeconds(1),
        });
        await pool.InitializeAsync(CancellationToken.None);
        await pool.ExecuteAsync((client, ct) => client.CreateCollectionAsync(
            Collection, new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: ct), idempotent: false);

        var acknowledged = new ConcurrentBag<ulong>();
        var failures = new ConcurrentDictionary<string, int>();
        var nextId = 0L;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = (ulong)Interlocked.Increment(ref nextId);
                try
                {
                    await pool.ExecuteAsync((client, ct) => client.UpsertAsync(
                        Collection, [new PointStruct { Id = id, Vectors = new[] { 1f, id % 7, 2f, 3f } }], wait: true, cancellationToken: ct), idempotent: true);
                    acknowledged.Add(id);
                }
                catch (Exception ex) when (ex is RpcException or HttpRequestException or QdrantPoolCircuitOpenException or QdrantPoolExhaustedException)
                {
                    failures.AddOrUpdate(Describe(ex), 1, (_, n) => n + 1);

                    // Pacing for the load generator only: an open circuit answers at once, and 8 callers retrying
                    // in a tight loop would take the CPU the recovering server needs.
                    await Task.Delay(10, CancellationToken.None);
                }
            }
        })).ToArray();

        try
        {
            await Support.PoolTestContext.WaitUntilAsync(() => acknowledged.Count >= 200, () => $"200 writes before the outage; {acknowledged.Count} so far");
            var outage = Stopwatch.StartNew();
            await server.DisposeAsync();
            var ackedAtStop = acknowledged.Count;

            await Support.PoolTestContext.WaitUntilAsync(
                () => failures.ContainsKey(nameof(QdrantPoolCircuitOpenException)),
                () => $"the circuit to open while Qdrant is down; failures so far: {Format(failures)}");
            var openedAfter = outage.Elapsed;

            server = await StartServerAsync();
            var restarted = outage.Elapsed;
            var ackedAtRestart = acknowledged.Count;
            await Support.PoolTestContext.WaitUntilAsync(
                () => acknowledged.Count >= ackedAtRestart + 200,
                () => $"200 writes after Qdrant came back; {acknowledged.Count - ackedAtRestart} so far; failures: {Format(failures)}");
            var recoveredAfter = outage.Elapsed - restarted;

            await stop.CancelAsync();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

            var stats = pool.GetStats();
            var stored = await pool.ExecuteAsync((client, ct) => client.CountAsync(Collection, exact: true, cancellationToken: ct), idempotent: true);
            var acked = acknowledged.ToHashSet();
            var found = await pool.ExecuteAsync((client, ct) => client.RetrieveAsync(
                Collection, acked.Select(id => new PointId { Num = id }).ToList(), withPayload: false, cancellationToken: ct), idempotent: true);

            output.WriteLine(
                $"{ackedAtStop} writes acknowledged before the stop; circuit open {openedAfter.TotalMilliseconds:N0} ms after it; " +
                $"restart at {restarted.TotalMilliseconds:N0} ms; 200 writes acknowledged again {recoveredAfter.TotalMilliseconds:N0} ms after the restart; " +
                $"{acked.Count} acknowledged in all, {stored} stored; failures: {Format(failures)}; " +
                $"connections created {stats.ConnectionsCreated}, recycled {stats.ConnectionsRecycled}, failed creations {stats.FailedCreations}");

            Assert.Equal(acked.Count, found.Count);
            Assert.True(stored >= (ulong)acked.Count, $"{stored} points stored, {acked.Count} acknowledged");
            Assert.Equal(0, stats.ActiveLeases);
            Assert.Equal(0, stats.PendingWaiters);
            Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
            Assert.InRange(stats.TotalConnections, 1, 3);
        }
        finally
        {
            // The load loops end here whatever happened above, and the server (the first or the restarted one) stops.
            await stop.CancelAsync();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));
            await server.DisposeAsync();
        }
    }

    private Task<EmulatorHost> StartServerAsync() => EmulatorHost.StartAsync(new EmulatorSettings
    {
        Host = "127.0.0.1",
        GrpcPort = _port,
        HttpPort = 0,
        ApiKey = Key,
        StoragePath = _storage,
    });

    private static string Describe(Exception ex) => ex is RpcException rpc ? $"{nameof(RpcException)}({rpc.StatusCode})" : ex.GetType().Name;

    private static string Format(ConcurrentDictionary<string, int> failures) =>
        failures.IsEmpty ? "none" : string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} × {f.Value}"));
}
