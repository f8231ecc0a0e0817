using Grpc.Core;
using Microsoft.Extensions.AI;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace MemoryService.Store;

/// <summary>
/// Creates the memory collection when it is missing and checks it when it exists, in the background until that
/// succeeds, so the service starts while Qdrant is away (and answers 503 meanwhile).
/// </summary>
internal sealed partial class MemoryCollectionBootstrapper(
    QdrantClient qdrant,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    MemoryCollection collection,
    TimeProvider timeProvider,
    ILogger<MemoryCollectionBootstrapper> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PrepareUntilDoneAsync(stoppingToken);
            if (collection.Status.State == CollectionState.Misconfigured)
            {
                return;
            }

            // Ready: sleep until a store call finds the collection gone.
            await collection.WaitForInvalidationAsync(stoppingToken);
        }
    }

    internal async Task PrepareUntilDoneAsync(CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PrepareAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                var reason = QdrantFailures.Describe(error);
                collection.Report(CollectionState.Starting,
                    $"Collection '{collection.Name}' is not ready: attempt {attempt} failed ({reason}); retrying in {delay.TotalSeconds:0.#} s.");
                LogAttemptFailed(logger, collection.Name, attempt, reason, delay.TotalSeconds);
            }

            await Task.Delay(delay, timeProvider, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var name = collection.Name;
        var dimension = await EmbeddingDimensionAsync(cancellationToken);

        // Existence and info are reads: idempotent.
        var exists = await qdrant.CollectionExistsAsync(name, cancellationToken);
        if (!exists)
        {
            try
            {
                // Not idempotent: a repeat after it reached Qdrant answers AlreadyExists, so the pool retries it only
                // when it never got there; below, AlreadyExists (another replica, or our own lost reply) counts as done.
                await qdrant.CreateCollectionAsync(name, new VectorParams { Size = (ulong)dimension, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
                LogCreated(logger, name, dimension);
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
            {
            }
        }

        var info = await qdrant.GetCollectionInfoAsync(name, cancellationToken);
        var vectors = info.Config?.Params?.VectorsConfig?.Params;
        if (vectors is null || vectors.Size != (ulong)dimension || vectors.Distance != Distance.Cosine)
        {
            var have = vectors is null ? "named or no vectors" : $"{vectors.Size} dimensions, {vectors.Distance}";
            var message =
                $"Collection '{name}' has {have}, but the embedding generator needs {dimension} dimensions, Cosine. " +
                $"Set Memory:Collection to a new name, or delete the collection to have it re-created " +
                $"(a change of Memory:Embeddings:Provider changes the dimension).";
            collection.Report(CollectionState.Misconfigured, message);
            LogMisconfigured(logger, message);
            return;
        }

        foreach (var (field, type) in MemoryPayload.Indexes)
        {
            if (!info.PayloadSchema.ContainsKey(field))
            {
                // Counted as not idempotent by the pool (a repeat may answer differently), so retried only when it never
                // reached Qdrant; this loop retries the rest, and an index that exists is skipped above.
                await qdrant.CreatePayloadIndexAsync(name, field, type, cancellationToken: cancellationToken);
            }
        }

        collection.Report(CollectionState.Ready, $"Collection '{name}' is ready: {dimension} dimensions, Cosine, {info.PointsCount} memories.");
        LogReady(logger, name, dimension, info.PointsCount);
    }

    private async Task<int> EmbeddingDimensionAsync(CancellationToken cancellationToken)
    {
        if (embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions is { } dimensions and > 0)
        {
            return dimensions;
        }

        var probe = await embeddings.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken);
        return probe[0].Vector.Length;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory collection '{Collection}': attempt {Attempt} failed ({Reason}); retrying in {DelaySeconds} s.")]
    private static partial void LogAttemptFailed(ILogger logger, string collection, int attempt, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory collection '{Collection}' created: {Dimension} dimensions, Cosine.")]
    private static partial void LogCreated(ILogger logger, string collection, int dimension);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory collection '{Collection}' ready: {Dimension} dimensions, Cosine, {Count} memories.")]
    private static partial void LogReady(ILogger logger, string collection, int dimension, ulong count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    private static partial void LogMisconfigured(ILogger logger, string message);
}
