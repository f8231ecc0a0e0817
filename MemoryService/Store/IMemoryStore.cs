using MemoryService.Memories;

namespace MemoryService.Store;

/// <summary>
/// The long-term memory: the only code that talks to Qdrant. Takes validated input (see
/// <see cref="MemoryValidator"/>) and computes embeddings itself, so REST and MCP share one path.
/// </summary>
/// <remarks>
/// Failures: <see cref="MemoryValidationException"/> for a rule only checkable against the stored memory (a patch
/// setting scope 'project' on a memory without a project); <see cref="MemoryStoreUnavailableException"/> while the
/// collection is not ready, the pool's circuit is open or Qdrant cannot be reached (the API answers 503 with
/// Retry-After). A call that returned has been written (wait=true upserts).
/// </remarks>
public interface IMemoryStore
{
    /// <summary>Embeds and writes one memory (an upsert by its id: a retry replaces, never duplicates).</summary>
    Task<Memory> StoreAsync(NewMemory memory, CancellationToken cancellationToken = default);

    /// <summary>Embeds all, then writes all in one upsert: either every memory is stored or none is.</summary>
    Task<IReadOnlyList<Memory>> StoreManyAsync(IReadOnlyList<NewMemory> memories, CancellationToken cancellationToken = default);

    /// <returns>The memory, or null when no memory has that id.</returns>
    Task<Memory?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Merges the patch into the stored memory; re-embeds only when the content changes.</summary>
    /// <returns>The updated memory, or null when no memory has that id.</returns>
    Task<Memory?> UpdateAsync(Guid id, MemoryPatch patch, CancellationToken cancellationToken = default);

    /// <returns>True when a memory with that id existed and is now deleted.</returns>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The memories closest in meaning to the query text, filtered, best first.</summary>
    Task<IReadOnlyList<ScoredMemory>> SearchAsync(MemoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>One page of the filtered memories in id order; pass the previous page's cursor to continue.</summary>
    /// <exception cref="MemoryValidationException">The cursor is not one this store handed out.</exception>
    Task<MemoryPage> ListAsync(MemoryFilter filter, int limit, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>How many memories match the filter (exact).</summary>
    Task<long> CountAsync(MemoryFilter filter, CancellationToken cancellationToken = default);
}
