using System.Collections.Concurrent;

namespace QdrantPool.Benchmarks.Baselines;

/// <summary>
/// The textbook bounded pool: a <see cref="SemaphoreSlim"/> counts the free slots, a <see cref="ConcurrentQueue{T}"/>
/// holds the idle connections, and a connection is created when a slot is won but the queue is empty.
/// </summary>
internal sealed class SemaphoreQueuePool(int maxSize, TimeSpan acquireTimeout) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxSize, maxSize);
    private readonly ConcurrentQueue<FakeConnection> _idle = new();

    public async ValueTask<FakeConnection> RentAsync(CancellationToken cancellationToken = default)
    {
        if (!await _slots.WaitAsync(acquireTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"No connection became free within {acquireTimeout}.");
        }

        return _idle.TryDequeue(out var connection) ? connection : new FakeConnection();
    }

    public void Return(FakeConnection connection)
    {
        // Enqueue before releasing the slot, so the waiter the release wakes finds the connection.
        _idle.Enqueue(connection);
        _slots.Release();
    }

    public void Dispose() => _slots.Dispose();
}
