using Grpc.Core;
using MemoryService.Memories;
using Microsoft.Extensions.AI;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Memory = MemoryService.Memories.Memory;

namespace MemoryService.Store;

/// <summary>
/// <see cref="IMemoryStore"/> on one Qdrant collection, through one <see cref="QdrantClient"/>: the pool's (each call
/// on a leased connection, retried per the pool's method table) or a single shared one (<c>Memory:UsePool=false</c>).
/// </summary>
/// <remarks>
/// Idempotency, call by call (the pool retries an idempotent call even after it may have reached Qdrant, any other
/// only when it never did): every read here is idempotent (Get, Query, Scroll, Count), and so is every write, because
/// each is addressed by an id chosen before the first attempt: Upsert of the same points, OverwritePayload and Delete
/// of the same id. Creating the collection is not (see <see cref="MemoryCollectionBootstrapper"/>).
/// </remarks>
internal sealed partial class QdrantMemoryStore(
    QdrantClient qdrant,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    MemoryCollection collection,
    TimeProvider timeProvider,
    ILogger<QdrantMemoryStore> logger) : IMemoryStore
{
    private string Name => collection.Name;

    public async Task<Memory> StoreAsync(NewMemory memory, CancellationToken cancellationToken = default) =>
        (await StoreManyAsync([memory], cancellationToken))[0];

    public async Task<IReadOnlyList<Memory>> StoreManyAsync(IReadOnlyList<NewMemory> memories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memories);
        collection.ThrowIfNotReady();
        if (memories.Count == 0)
        {
            return [];
        }

        // Embed everything first: a failure here writes nothing.
        var vectors = await EmbedAsync(memories.Select(m => m.Content).ToArray(), cancellationToken);
        var now = MemoryPayload.Truncate(timeProvider.GetUtcNow());
        var stored = memories.Select(m => new Memory(m.Id, m.Content, m.Category, m.Scope, m.Project, m.Importance, m.Tags, m.Metadata, now, now)).ToArray();
        var points = stored.Select((m, i) => MemoryPayload.ToPoint(m, vectors[i])).ToArray();

        // One upsert (wait=true) for all: Qdrant applies it as one operation. Idempotent: the ids were chosen before.
        await RunAsync((client, ct) => client.UpsertAsync(Name, points, wait: true, cancellationToken: ct), cancellationToken);
        return stored;
    }

    public async Task<Memory?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        collection.ThrowIfNotReady();
        var points = await RunAsync((client, ct) => client.RetrieveAsync(Name, id, withPayload: true, withVectors: false, cancellationToken: ct), cancellationToken);
        return points.Count == 0 ? null : MemoryPayload.ToMemory(points[0].Id, points[0].Payload);
    }

    public async Task<Memory?> UpdateAsync(Guid id, MemoryPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var current = await GetAsync(id, cancellationToken);
        if (current is null)
        {
            return null;
        }

        var scope = patch.Scope ?? (patch.Project is not null ? MemoryScope.Project : current.Scope);
        var project = scope == MemoryScope.Global ? null : patch.Project ?? current.Project;
        MemoryValidator.ValidateScope(scope, project);
        var updated = current with
        {
            Content = patch.Content ?? current.Content,
            Category = patch.Category ?? current.Category,
            Scope = scope,
            Project = project,
            Importance = patch.Importance ?? current.Importance,
            Tags = patch.Tags ?? current.Tags,
            Metadata = patch.Metadata ?? current.Metadata,
            UpdatedAt = MemoryPayload.Truncate(timeProvider.GetUtcNow()),
        };

        if (updated.Content != current.Content)
        {
            // New content, new meaning: replace the whole point. Idempotent (same id, same point).
            var vector = (await EmbedAsync([updated.Content], cancellationToken))[0];
            var point = MemoryPayload.ToPoint(updated, vector);
            await RunAsync((client, ct) => client.UpsertAsync(Name, [point], wait: true, cancellationToken: ct), cancellationToken);
            return updated;
        }

        // Same content: keep the vector, replace the payload. Idempotent (same id, same payload).
        var payload = MemoryPayload.From(updated);
        try
        {
            await RunAsync((client, ct) => client.OverwritePayloadAsync(Name, payload, id, wait: true, cancellationToken: ct), cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound && error.Status.Detail.Contains("No point", StringComparison.Ordinal))
        {
            return null; // deleted between the read and the write
        }

        return updated;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        // Qdrant's delete does not say whether the point existed, so ask first; both calls are idempotent.
        if (await GetAsync(id, cancellationToken) is null)
        {
            return false;
        }

        await RunAsync((client, ct) => client.DeleteAsync(Name, id, wait: true, cancellationToken: ct), cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ScoredMemory>> SearchAsync(MemoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        collection.ThrowIfNotReady();
        var vector = (await EmbedAsync([query.Text], cancellationToken))[0].ToArray();
        var filter = MemoryFilters.ToQdrant(query.Filter);
        var hits = await RunAsync((client, ct) => client.QueryAsync(
            Name,
            query: vector,
            filter: filter,
            scoreThreshold: query.MinScore is { } minScore ? (float)minScore : null,
            limit: (ulong)query.Limit,
            payloadSelector: true,
            cancellationToken: ct), cancellationToken);
        return hits.Select(hit => new ScoredMemory(Math.Round(hit.Score, 6), MemoryPayload.ToMemory(hit.Id, hit.Payload))).ToArray();
    }

    public async Task<MemoryPage> ListAsync(MemoryFilter filter, int limit, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        PointId? offset = null;
        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var from))
            {
                throw MemoryValidationException.For("cursor", "must be a nextCursor value from an earlier page.");
            }

            offset = from;
        }

        collection.ThrowIfNotReady();
        var qdrantFilter = MemoryFilters.ToQdrant(filter);
        var page = await RunAsync((client, ct) => client.ScrollAsync(
            Name, qdrantFilter, (uint)limit, offset, payloadSelector: true, cancellationToken: ct), cancellationToken);
        var items = page.Result.Select(point => MemoryPayload.ToMemory(point.Id, point.Payload)).ToArray();
        var next = page.NextPageOffset is { PointIdOptionsCase: PointId.PointIdOptionsOneofCase.Uuid } nextOffset ? nextOffset.Uuid : null;
        return new MemoryPage(items, next);
    }

    public async Task<long> CountAsync(MemoryFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        collection.ThrowIfNotReady();
        var qdrantFilter = MemoryFilters.ToQdrant(filter);
        var count = await RunAsync((client, ct) => client.CountAsync(Name, qdrantFilter, exact: true, cancellationToken: ct), cancellationToken);
        return (long)count;
    }

    private async Task<ReadOnlyMemory<float>[]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var generated = await embeddings.GenerateAsync(texts, cancellationToken: cancellationToken);
        return generated.Select(e => e.Vector).ToArray();
    }

    /// <summary>Runs one Qdrant call, turning "try later" failures into <see cref="MemoryStoreUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(qdrant, cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound && error.Status.Detail.Contains("Collection", StringComparison.OrdinalIgnoreCase))
        {
            LogCollectionMissing(logger, Name);
            collection.Invalidate($"Collection '{Name}' disappeared from Qdrant; re-creating it.");
            throw new MemoryStoreUnavailableException($"Collection '{Name}' is being re-created.", MemoryCollection.RetryAfter, error);
        }
        catch (Exception error) when (QdrantFailures.AsUnavailable(error, cancellationToken) is { } unavailable && unavailable != error)
        {
            LogUnavailable(logger, Name, QdrantFailures.Describe(error));
            throw unavailable;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory collection '{Collection}' no longer exists in Qdrant; preparing it again.")]
    private static partial void LogCollectionMissing(ILogger logger, string collection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant call on '{Collection}' failed and is answered 503: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string collection, string reason);
}
