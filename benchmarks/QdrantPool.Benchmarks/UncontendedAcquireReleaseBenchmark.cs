using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using QdrantPool.Benchmarks.Baselines;

namespace QdrantPool.Benchmarks;

/// <summary>
/// One caller, a pool of five idle connections: the cost of one acquire plus one release when nothing waits.
/// Each invocation runs <see cref="Cycles"/> cycles so the figure is per cycle, not per async call of the harness.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class UncontendedAcquireReleaseBenchmark
{
    private const int Cycles = 1024;

    private QdrantConnectionPool _exclusive = null!;
    private QdrantConnectionPool _shared = null!;
    private QdrantConnectionPool _spread = null!;
    private QdrantConnectionPool _frozenClock = null!;
    private SemaphoreQueuePool _semaphore = null!;
    private ChannelPool _channel = null!;
    private ObjectPool<FakeConnection> _objectPool = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _exclusive = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 1);
        _shared = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 64);
        _spread = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 64, leasesBeforeSpreading: 1);
        _frozenClock = await PoolFactory.CreateQdrantPoolAsync(maxLeasesPerConnection: 1, new FrozenClock());
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
        await _frozenClock.DisposeAsync();
        _semaphore.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Cycles, Description = "SemaphoreSlim + ConcurrentQueue")]
    public async ValueTask SemaphoreQueue()
    {
        for (var i = 0; i < Cycles; i++)
        {
            _semaphore.Return(await _semaphore.RentAsync());
        }
    }

    [Benchmark(OperationsPerInvoke = Cycles, Description = "Channel<T>")]
    public async ValueTask Channel()
    {
        for (var i = 0; i < Cycles; i++)
        {
            _channel.Return(await _channel.RentAsync());
        }
    }

    [Benchmark(OperationsPerInvoke = Cycles, Description = "ObjectPool (unbounded floor)")]
    public void ObjectPool()
    {
        for (var i = 0; i < Cycles; i++)
        {
            _objectPool.Return(_objectPool.Get());
        }
    }

    [Benchmark(OperationsPerInvoke = Cycles, Description = "QdrantPool, exclusive leases")]
    public async ValueTask QdrantPoolExclusive()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using var lease = await _exclusive.AcquireAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Cycles, Description = "QdrantPool, shared leases (64, fill first)")]
    public async ValueTask QdrantPoolShared()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using var lease = await _shared.AcquireAsync();
        }
    }

    /// <summary>The shared pool with the old selection (spread evenly over every connection), for the policy's cost.</summary>
    [Benchmark(OperationsPerInvoke = Cycles, Description = "QdrantPool, shared leases, spread evenly (old policy)")]
    public async ValueTask QdrantPoolSpread()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using var lease = await _spread.AcquireAsync();
        }
    }

    /// <summary>
    /// Diagnostic, not a contender: the exclusive pool with a clock whose reads cost nothing, to show how much of
    /// the cycle is spent reading the clock (the pool reads it on acquire, after acquire and on release).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Cycles, Description = "QdrantPool, exclusive, clock reads free (diagnostic)")]
    public async ValueTask QdrantPoolExclusiveFrozenClock()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using var lease = await _frozenClock.AcquireAsync();
        }
    }

    /// <summary>A clock that never moves: timers still work (the base class's), timestamps cost a return.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        public override long GetTimestamp() => 0;
    }
}
