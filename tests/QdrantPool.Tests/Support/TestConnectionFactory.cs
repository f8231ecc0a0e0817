using System.Collections.Concurrent;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Connections;

namespace QdrantPool.Tests.Support;

/// <summary>Opens in-memory connections whose calls, faults and opening the test scripts.</summary>
internal sealed class TestConnectionFactory : IConnectionFactory
{
    private readonly ConcurrentQueue<TestTransport> _opened = new();
    private int _attempts;

    /// <summary>Runs before each open with the attempt number (1-based); throw to fail the open, await to delay it.</summary>
    public Func<int, CancellationToken, Task>? BeforeOpen { get; set; }

    /// <summary>The call handler every connection uses unless it has its own.</summary>
    public Func<string, CancellationToken, Task>? CallHandler { get; set; }

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<TestTransport> Opened => [.. _opened];

    public int OpenCount => _opened.Count;

    public int DisposedCount => _opened.Count(t => t.IsDisposed);

    public async ValueTask<IConnectionTransport> OpenAsync(CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (BeforeOpen is { } beforeOpen)
        {
            await beforeOpen(attempt, cancellationToken);
        }

        var transport = new TestTransport(attempt, this);
        _opened.Enqueue(transport);
        return transport;
    }
}

/// <summary>One in-memory connection: a real QdrantClient over a <see cref="FakeCallInvoker"/>.</summary>
internal sealed class TestTransport : IConnectionTransport
{
    private int _disposed;

    public TestTransport(int number, TestConnectionFactory factory)
    {
        Number = number;
        Invoker = new FakeCallInvoker { Handler = (method, ct) => (Handler ?? factory.CallHandler)?.Invoke(method, ct) ?? Task.CompletedTask };
        Client = new QdrantClient(new QdrantGrpcClient(Invoker));
    }

    public int Number { get; }

    public FakeCallInvoker Invoker { get; }

    public QdrantClient Client { get; }

    public Grpc.Core.CallInvoker CallInvoker => Invoker;

    public bool IsFaulted { get; set; }

    /// <summary>This connection's own call handler, overriding the factory's.</summary>
    public Func<string, CancellationToken, Task>? Handler { get; set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Client.Dispose();
    }
}
