using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Connections;

namespace QdrantPool.Benchmarks;

/// <summary>Connections whose calls <see cref="InMemoryCallInvoker"/> answers at once, for the pooled client's overhead.</summary>
internal sealed class InMemoryConnectionFactory : IConnectionFactory
{
    public ValueTask<IConnectionTransport> OpenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IConnectionTransport>(new Transport());

    private sealed class Transport : IConnectionTransport
    {
        public Transport()
        {
            CallInvoker = new InMemoryCallInvoker();
            Client = new QdrantClient(new QdrantGrpcClient(CallInvoker));
        }

        public QdrantClient Client { get; }

        public CallInvoker CallInvoker { get; }

        public bool IsFaulted => false;

        public void Dispose() => Client.Dispose();
    }
}
