using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using QdrantPool.Benchmarks.Baselines;

namespace QdrantPool.Benchmarks;

/// <summary>
/// Ten tasks share five connections. Each task borrows, yields once while holding the connection (standing in
/// for the awaited call a real caller makes, so that more borrowers than connections are in flight), and returns
/// it. With exclusive leases about half the acquires must wait, so the waiting and hand-off path is measured;
/// the yield costs every row the same. Results are per acquire+release cycle.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ContendedAcquireReleaseBenchmark
{
    private const int Tasks = 10;
    private const int CyclesPerTask = 200;
    private const int Operations = Tasks * CyclesPerTask;

    private readonly Task[] _workers = new Task[Tasks];
    private QdrantConnectionPool _exclusive = null!;
    private QdrantConnectionPool _shared = null!;
    private QdrantConnectionPool _spread = null!;
    private SemaphoreQueuePool _semaphore = null!;
    private ChannelPool _channel = null!;
    private ObjectPool<FakeConnection> _objectPool = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _exclusive = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 1);
        _shared = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 64);
        _spread = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 64, leasesBeforeSpreading: 1);
        _semaphore = PoolFactory.CreateSemaphoreQueuePool();
        _channel = PoolFactory.CreateChannelPool();
        _objectPool = PoolFactory.CreateObjectPool();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _exclusive.DisposeAsync();
        await _shared.DisposeAsync();
        await _spread.DisposeAsync();
        _semaphore.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "SemaphoreSlim + ConcurrentQueue")]
    public Task SemaphoreQueue()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = SemaphoreWorker();
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Channel<T>")]
    public Task Channel()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = ChannelWorker();
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "ObjectPool (unbounded floor)")]
    public Task ObjectPool()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = ObjectPoolWorker();
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "QdrantPool, exclusive leases")]
    public Task QdrantPoolExclusive()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = QdrantWorker(_exclusive);
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "QdrantPool, shared leases (64, fill first)")]
    public Task QdrantPoolShared()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = QdrantWorker(_shared);
        }

        return Task.WhenAll(_workers);
    }

    /// <summary>The shared pool with the old selection (spread evenly over every connection), for the policy's cost.</summary>
    [Benchmark(OperationsPerInvoke = Operations, Description = "QdrantPool, shared leases, spread evenly (old policy)")]
    public Task QdrantPoolSpread()
    {
        for (var i = 0; i < Tasks; i++)
        {
            _workers[i] = QdrantWorker(_spread);
        }

        return Task.WhenAll(_workers);
    }

    private async Task SemaphoreWorker()
    {
        for (var i = 0; i < CyclesPerTask; i++)
        {
            var connection = await _semaphore.RentAsync();
            await Task.Yield();
            _semaphore.Return(connection);
        }
    }

    private async Task ChannelWorker()
    {
        for (var i = 0; i < CyclesPerTask; i++)
        {
            var connection = await _channel.RentAsync();
            await Task.Yield();
            _channel.Return(connection);
        }
    }

    private async Task ObjectPoolWorker()
    {
        for (var i = 0; i < CyclesPerTask; i++)
        {
            var connection = _objectPool.Get();
            await Task.Yield();
            _objectPool.Return(connection);
        }
    }

    private static async Task QdrantWorker(QdrantConnectionPool pool)
    {
        for (var i = 0; i < CyclesPerTask; i++)
        {
            await using var lease = await pool.AcquireAsync();
            await Task.Yield();
        }
    }
}
