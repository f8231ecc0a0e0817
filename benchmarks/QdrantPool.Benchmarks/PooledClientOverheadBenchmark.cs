using BenchmarkDotNet.Attributes;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Client;

namespace QdrantPool.Benchmarks;

/// <summary>
/// What one call through the pooled <see cref="QdrantClient"/> costs on the client side, against borrowing a lease by
/// hand and against a plain <see cref="QdrantClient"/>. Every row makes the same call (<c>CollectionExists</c>) on an
/// invoker that answers at once, so the figures are the wrappers' cost alone; a real call adds the network and the server.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class PooledClientOverheadBenchmark
{
    private const int Calls = 1024;
    private const string Collection = "memories";

    private QdrantClient _plain = null!;
    private QdrantConnectionPool _pool = null!;
    private QdrantClient _pooled = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _plain = new QdrantClient(new QdrantGrpcClient(new InMemoryCallInvoker()));
        _pool = new QdrantConnectionPool(
            new QdrantConnectionPoolOptions
            {
                Name = "benchmark-pooled-client",
                Endpoint = new Uri("http://127.0.0.1:1"),
                MaxSize = PoolFactory.Connections,
                MinSize = PoolFactory.Connections,
                ValidationBypassWindow = TimeSpan.FromHours(1),
                HealthCheckInterval = TimeSpan.FromHours(1),
                ConnectionLifetime = TimeSpan.FromHours(1),
                IdleTimeout = TimeSpan.FromHours(1),
            },
            new InMemoryConnectionFactory());
        await _pool.InitializeAsync(CancellationToken.None);
        _pooled = QdrantPooledClientFactory.Create(_pool);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _plain.Dispose();
        _pooled.Dispose();
        await _pool.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "plain QdrantClient")]
    public async Task Plain()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _plain.CollectionExistsAsync(Collection);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "lease by hand (AcquireAsync + lease.Client)")]
    public async Task Lease()
    {
        for (var i = 0; i < Calls; i++)
        {
            await using var lease = await _pool.AcquireAsync();
            await lease.Client.CollectionExistsAsync(Collection);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "ExecuteAsync(idempotent: true)")]
    public async Task Execute()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _pool.ExecuteAsync(static (client, ct) => client.CollectionExistsAsync(Collection, ct), idempotent: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "pooled QdrantClient")]
    public async Task Pooled()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _pooled.CollectionExistsAsync(Collection);
        }
    }
}
