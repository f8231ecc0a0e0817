using System.Threading.Channels;

namespace QdrantPool.Benchmarks.Baselines;

/// <summary>
/// A bounded pool on <see cref="Channel{T}"/>: idle connections sit in the channel, a counter reserves
/// creation slots up to the maximum, and callers past the maximum wait on the channel in FIFO order.
/// </summary>
internal sealed class ChannelPool(int maxSize, TimeSpan acquireTimeout)
{
    private readonly Channel<FakeConnection> _idle = Channel.CreateBounded<FakeConnection>(
        new BoundedChannelOptions(maxSize) { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    private int _created;

    public ValueTask<FakeConnection> RentAsync(CancellationToken cancellationToken = default)
    {
        if (_idle.Reader.TryRead(out var idle))
        {
            return ValueTask.FromResult(idle);
        }

        // Reserve a creation slot before creating, so concurrent callers never exceed the maximum.
        while (true)
        {
            var created = Volatile.Read(ref _created);
            if (created >= maxSize)
            {
                return WaitAsync(cancellationToken);
            }

            if (Interlocked.CompareExchange(ref _created, created + 1, created) == created)
            {
                return ValueTask.FromResult(new FakeConnection());
            }
        }
    }

    public void Return(FakeConnection connection)
    {
        // Capacity equals the number of connections that can exist, so the write cannot fail.
        if (!_idle.Writer.TryWrite(connection))
        {
            throw new InvalidOperationException("More connections were returned than the pool created.");
        }
    }

    private async ValueTask<FakeConnection> WaitAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(acquireTimeout);
        try
        {
            return await _idle.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No connection became free within {acquireTimeout}.");
        }
    }
}
