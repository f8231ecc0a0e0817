using QdrantPool.Benchmarks.Baselines;

namespace QdrantPool.Benchmarks;

/// <summary>The pools under test, all with the same capacity, built and warmed the same way for every scenario.</summary>
internal static class PoolFactory
{
    public const int Connections = 5;

    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Our pool over <see cref="BenchmarkConnectionFactory"/>, warmed to <see cref="Connections"/>. Health checks,
    /// recycling and pruning are pushed out of the measured window: they are I/O or timer work, not acquire/release.
    /// </summary>
    /// <param name="maxLeasesPerConnection">1 for exclusive leases, 64 (the default) for shared.</param>
    /// <param name="timeProvider">A clock other than the system's (the diagnostic row).</param>
    /// <param name="leasesBeforeSpreading">The fill target; null keeps the pool's default, 1 spreads evenly (the old policy).</param>
    public static async Task<QdrantConnectionPool> CreateQdrantPoolAsync(int maxLeasesPerConnection, TimeProvider? timeProvider = null, int? leasesBeforeSpreading = null)
    {
        var pool = new QdrantConnectionPool(
            new QdrantConnectionPoolOptions
            {
                Name = maxLeasesPerConnection == 1 ? "benchmark-exclusive" : "benchmark-shared",
                Endpoint = new Uri("http://127.0.0.1:1"),
                MaxSize = Connections,
                MinSize = Connections,
                MaxLeasesPerConnection = maxLeasesPerConnection,
                AcquireTimeout = AcquireTimeout,
                ValidationBypassWindow = TimeSpan.FromHours(1),
                HealthCheckInterval = TimeSpan.FromHours(1),
                ConnectionLifetime = TimeSpan.FromHours(1),
                IdleTimeout = TimeSpan.FromHours(1),
            },
            new BenchmarkConnectionFactory(),
            timeProvider: timeProvider);
        if (leasesBeforeSpreading is { } target)
        {
            pool.LeasesBeforeSpreading = target;
        }

        await pool.InitializeAsync(CancellationToken.None);
        return pool;
    }

    public static SemaphoreQueuePool CreateSemaphoreQueuePool() => new(Connections, AcquireTimeout);

    public static ChannelPool CreateChannelPool() => new(Connections, AcquireTimeout);

    public static Microsoft.Extensions.ObjectPool.ObjectPool<FakeConnection> CreateObjectPool() => ObjectPoolFloor.Create(Connections);
}
