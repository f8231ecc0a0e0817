using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Tests.Aspire;
using Xunit.Abstractions;

namespace QdrantPool.Tests.Integration;

/// <summary>The QdrantClient the integration registers, injected as an app would, against the emulator over real sockets.</summary>
[Collection(EmulatorCollection.Name)]
public class PooledQdrantClientAgainstEmulatorTests(EmulatorFixture emulator, ITestOutputHelper output)
{
    private const int Callers = 64;
    private const int CallsPerCaller = 40;
    private const int MaxSize = 4;

    [Fact]
    public async Task InjectedQdrantClient_64ConcurrentCallers_NeverMoreThanMaxSizeTcpConnections()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "Counting TCP connections needs Linux /proc.");
        var port = emulator.Endpoint.Port;
        await Support.PoolTestContext.WaitUntilAsync(() => TcpConnectionCounter.CountEstablishedTo(port) == 0, () => "no connection to the emulator before the run");

        var builder = AspireTestHost.CreateBuilder(("ConnectionStrings:qdrant", $"Endpoint={emulator.Endpoint};Key={EmulatorFixture.ApiKey}"));
        builder.AddQdrantConnectionPool("qdrant", settings =>
        {
            settings.MaxSize = MaxSize;
            // Few leases per connection, so 64 callers need every connection the pool may open, and then wait.
            settings.MaxLeasesPerConnection = 2;
            settings.AcquireTimeout = TimeSpan.FromSeconds(60);
        });
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<QdrantClient>();
        var pool = host.Services.GetRequiredService<IQdrantConnectionPool>();
        var collection = "pooled_" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateCollectionAsync(collection, new VectorParams { Size = 4, Distance = Distance.Cosine });

        using var stop = new CancellationTokenSource();
        var maxSeen = 0;
        var samples = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxSeen = Math.Max(maxSeen, TcpConnectionCounter.CountEstablishedTo(port));
                samples++;
                await Task.Delay(10, CancellationToken.None);
            }
        });

        var failures = new ConcurrentQueue<Exception>();
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < CallsPerCaller; i++)
            {
                try
                {
                    var id = (ulong)(caller * CallsPerCaller + i + 1);
                    await client.UpsertAsync(collection, [new PointStruct { Id = id, Vectors = new[] { 1f, caller, i, 1f } }]);
                    await client.RetrieveAsync(collection, id, withPayload: false);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await sampler;

        var stats = pool.GetStats();
        output.WriteLine($"{Callers} callers x {CallsPerCaller} x 2 calls; {samples} TCP samples, max {maxSeen} established; pool: {stats}");
        Assert.Empty(failures);
        Assert.Equal((ulong)(Callers * CallsPerCaller), await client.CountAsync(collection, exact: true));
        Assert.True(samples > 3, $"only {samples} samples of the TCP table were taken");
        Assert.InRange(maxSeen, 1, MaxSize);
        Assert.True(stats.TotalAcquires >= Callers * CallsPerCaller * 2, $"only {stats.TotalAcquires} acquires: calls bypassed the pool");
        Assert.Equal(0, stats.ActiveLeases);
    }

    [Fact]
    public async Task InjectedKeyedQdrantClient_CallsTheServerThroughItsOwnPool()
    {
        var builder = AspireTestHost.CreateBuilder(("ConnectionStrings:vectors", $"Endpoint={emulator.Endpoint};Key={EmulatorFixture.ApiKey}"));
        builder.AddKeyedQdrantConnectionPool("vectors");
        using var host = builder.Build();
        var client = host.Services.GetRequiredKeyedService<QdrantClient>("vectors");
        var pool = host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("vectors");

        await client.ListCollectionsAsync();

        Assert.Equal(1, pool.GetStats().TotalAcquires);
    }
}
