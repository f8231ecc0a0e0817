using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool;

namespace PoolWorker.Benchmark.Variants;

/// <summary>
/// The non-pooled baseline: a new <see cref="QdrantClient"/> over a new channel (so a new TCP connection) for every
/// operation, and every part of it disposed after the call, the socket handler last so its connection closes then.
/// </summary>
internal sealed class PerOperationClientSource(BenchmarkSettings settings) : IClientSource
{
    public VariantKind Kind => VariantKind.PerOperation;

    public QdrantConnectionPool? Pool => null;

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<long> RunAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler();
        using var channel = GrpcChannel.ForAddress(settings.Endpoint, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var invoker = settings.ApiKey is { } key ? channel.Intercept(metadata => AddKey(metadata, key)) : channel.CreateCallInvoker();
        using var client = new QdrantClient(new QdrantGrpcClient(invoker));
        await operation(client, cancellationToken);
        return 0;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The same header the official client sends; a client over a call invoker does not add it itself.
    private static Metadata AddKey(Metadata metadata, string key)
    {
        metadata.Add("api-key", key);
        return metadata;
    }
}
