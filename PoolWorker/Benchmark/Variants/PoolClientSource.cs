using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using QdrantPool;

namespace PoolWorker.Benchmark.Variants;

/// <summary>
/// A fresh pool for one run. Operations borrow a lease directly (no retry layer) so the pool is compared with the
/// baselines on equal terms; the acquire time is measured around <c>AcquireAsync</c>.
/// </summary>
internal sealed class PoolClientSource : IClientSource
{
    public PoolClientSource(VariantKind kind, BenchmarkSettings settings, string poolName, ILoggerFactory loggerFactory)
    {
        Kind = kind;
        Pool = new QdrantConnectionPool(
            new QdrantConnectionPoolOptions
            {
                Name = poolName,
                Endpoint = settings.Endpoint,
                ApiKey = settings.ApiKey,
                MaxSize = settings.PoolMaxSize,
                MaxLeasesPerConnection = kind == VariantKind.PoolExclusive ? 1 : new QdrantConnectionPoolOptions().MaxLeasesPerConnection,
                HealthCheckCollection = settings.Collection,
                AcquireTimeout = TimeSpan.FromSeconds(30),
            },
            loggerFactory);
    }

    public VariantKind Kind { get; }

    public QdrantConnectionPool Pool { get; }

    QdrantConnectionPool? IClientSource.Pool => Pool;

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => Pool.InitializeAsync(cancellationToken);

    public async ValueTask<long> RunAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var lease = await Pool.AcquireAsync(cancellationToken);
        var acquire = Stopwatch.GetTimestamp() - start;
        await using (lease)
        {
            await operation(lease.Client, cancellationToken);
        }

        return acquire;
    }

    public ValueTask DisposeAsync() => Pool.DisposeAsync();
}
