using Qdrant.Client;
using QdrantPool;

namespace PoolWorker.Benchmark.Variants;

/// <summary>One shared <see cref="QdrantClient"/>, built as the official Aspire client integration builds it.</summary>
internal sealed class SingletonClientSource(BenchmarkSettings settings) : IClientSource
{
    private readonly QdrantClient _client = new(settings.Endpoint, apiKey: settings.ApiKey);

    public VariantKind Kind => VariantKind.Singleton;

    public QdrantConnectionPool? Pool => null;

    // The first call opens the connection; warm-up pays for it, as it does for the pool's InitializeAsync.
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<long> RunAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        await operation(_client, cancellationToken);
        return 0;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
