namespace MemoryService.Memories;

// What clients send. Everything is nullable and category/scope are strings, so a missing or unknown value reaches
// MemoryValidator, which names the field and the rule, instead of failing inside the JSON reader.

/// <summary>A memory to create. <see cref="Id"/> is optional: the service picks one before it writes.</summary>
public sealed record CreateMemoryRequest(
    string? Content,
    string? Category,
    string? Scope = null,
    string? Project = null,
    double? Importance = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? Id = null);

/// <summary>Up to <see cref="MemoryRules.MaxBatchSize"/> memories stored together: all of them or none.</summary>
public sealed record CreateMemoriesRequest(IReadOnlyList<CreateMemoryRequest?>? Memories);

/// <summary>Any subset of the fields; absent fields keep their value. Only a content change re-embeds.</summary>
public sealed record UpdateMemoryRequest(
    string? Content = null,
    string? Category = null,
    string? Scope = null,
    string? Project = null,
    double? Importance = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A search by meaning with optional filters.</summary>
public sealed record SearchMemoriesRequest(
    string? Query,
    int? Limit = null,
    double? MinScore = null,
    IReadOnlyList<string>? Categories = null,
    string? Scope = null,
    string? Project = null,
    IReadOnlyList<string>? TagsAny = null,
    IReadOnlyList<string>? TagsAll = null,
    double? MinImportance = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);

/// <summary>The filters of a listing or count, as they arrive (query string, MCP arguments).</summary>
public sealed record MemoryFilterRequest(
    IReadOnlyList<string>? Categories = null,
    string? Scope = null,
    string? Project = null,
    IReadOnlyList<string>? TagsAny = null,
    IReadOnlyList<string>? TagsAll = null,
    double? MinImportance = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);

// What the API answers besides a Memory.
public sealed record MemoryItems(IReadOnlyList<Memory> Items);
public sealed record MemoryListResponse(IReadOnlyList<Memory> Items, string? NextCursor);
public sealed record MemorySearchResponse(IReadOnlyList<ScoredMemory> Results);
public sealed record MemoryCountResponse(long Count);
