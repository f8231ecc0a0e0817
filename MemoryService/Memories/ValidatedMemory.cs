namespace MemoryService.Memories;

/// <summary>A memory to write, already validated and normalised by <see cref="MemoryValidator"/>.</summary>
/// <remarks>The id is chosen before the first write, so a retried upsert replaces rather than duplicates.</remarks>
public sealed record NewMemory(
    Guid Id,
    string Content,
    MemoryCategory Category,
    MemoryScope Scope,
    string? Project,
    double Importance,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A validated partial update; null means "keep".</summary>
/// <remarks>
/// Setting <see cref="Scope"/> to Global drops the project. The combination (scope project without a project) is
/// checked by the store once it has merged the patch into the stored memory.
/// </remarks>
public sealed record MemoryPatch(
    string? Content = null,
    MemoryCategory? Category = null,
    MemoryScope? Scope = null,
    string? Project = null,
    double? Importance = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>Validated filters; each one set narrows the result (they combine with AND).</summary>
public sealed record MemoryFilter(
    IReadOnlyList<MemoryCategory>? Categories = null,
    MemoryScope? Scope = null,
    string? Project = null,
    IReadOnlyList<string>? TagsAny = null,
    IReadOnlyList<string>? TagsAll = null,
    double? MinImportance = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null)
{
    public static readonly MemoryFilter None = new();
}

/// <summary>A validated search: text to embed, at most <see cref="Limit"/> results at or above <see cref="MinScore"/>.</summary>
public sealed record MemoryQuery(string Text, int Limit, double? MinScore, MemoryFilter Filter);
