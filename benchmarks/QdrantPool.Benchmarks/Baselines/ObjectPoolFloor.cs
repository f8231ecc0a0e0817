using Microsoft.Extensions.ObjectPool;

namespace QdrantPool.Benchmarks.Baselines;

/// <summary>
/// Microsoft.Extensions.ObjectPool's <see cref="DefaultObjectPool{T}"/>: it never waits and never bounds
/// (an empty pool creates, surplus returns are dropped), so it is the floor no bounded pool can beat, not a rival.
/// </summary>
internal static class ObjectPoolFloor
{
    public static ObjectPool<FakeConnection> Create(int maxRetained) =>
        new DefaultObjectPool<FakeConnection>(new DefaultPooledObjectPolicy<FakeConnection>(), maxRetained);
}
