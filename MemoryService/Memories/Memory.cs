namespace MemoryService.Memories;

/// <summary>One stored memory, as the API and the MCP tools return it.</summary>
/// <remarks>
/// Always normalised: content trimmed, tags lower-cased and distinct, <see cref="Project"/> set exactly when
/// <see cref="Scope"/> is <see cref="MemoryScope.Project"/>. Times are UTC.
/// </remarks>
public sealed record Memory(
    Guid Id,
    string Content,
    MemoryCategory Category,
    MemoryScope Scope,
    string? Project,
    double Importance,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A search hit: the memory and its similarity score (Cosine, higher is closer), best first.</summary>
public sealed record ScoredMemory(double Score, Memory Memory);

/// <summary>One page of a listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record MemoryPage(IReadOnlyList<Memory> Items, string? NextCursor);
