using Qdrant.Client;
using QdrantPool.Connections;

namespace QdrantPool.Benchmarks;

/// <summary>
/// Connections for measuring the pool's own bookkeeping: each holds a client that is never called (its channel
/// points at a closed loopback port and never dials), so acquire and release are all that is timed.
/// </summary>
internal sealed class BenchmarkConnectionFactory : IConnectionFactory
{
    public ValueTask<IConnectionTransport> OpenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IConnectionTransport>(new Transport());

    private sealed class Transport : IConnectionTransport
    {
        public QdrantClient Client { get; } = new("127.0.0.1", port: 1);

        public Grpc.Core.CallInvoker CallInvoker => throw new NotSupportedException("Acquire/release benchmarks never call the server.");

        public bool IsFaulted => false;

        public void Dispose() => Client.Dispose();
    }
}
