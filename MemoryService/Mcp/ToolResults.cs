using MemoryService.Memories;

namespace MemoryService.Mcp;

// What the tools answer (as structured content and as its JSON text). Flat and short: every token is read by a model.

/// <summary>A memory as the tools show it.</summary>
internal sealed record MemoryView(
    Guid Id,
    string Content,
    string Category,
    string Scope,
    string? Project,
    double Importance,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static MemoryView From(Memory memory) => new(
        memory.Id, memory.Content, memory.Category.ToName(), memory.Scope.ToName(), memory.Project,
        memory.Importance, memory.Tags, memory.CreatedAt, memory.UpdatedAt);
}

/// <summary>A search hit: id, score, category and content first, the rest after.</summary>
internal sealed record RetrievedMemory(
    Guid Id,
    double Score,
    string Category,
    string Content,
    string? Project,
    double Importance,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt)
{
    public static RetrievedMemory From(ScoredMemory hit) => new(
        hit.Memory.Id, Math.Round(hit.Score, 4), hit.Memory.Category.ToName(), hit.Memory.Content, hit.Memory.Project,
        hit.Memory.Importance, hit.Memory.Tags, hit.Memory.CreatedAt);
}

internal sealed record RetrievedMemories(IReadOnlyList<RetrievedMemory> Results);

internal sealed record ListedMemories(IReadOnlyList<MemoryView> Items, string? NextCursor);

internal sealed record DeletedMemory(Guid Id, bool Deleted);
