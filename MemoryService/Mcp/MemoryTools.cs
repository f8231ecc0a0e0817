using System.ComponentModel;
using MemoryService.Memories;
using MemoryService.Store;
using ModelContextProtocol.Server;

namespace MemoryService.Mcp;

/// <summary>
/// The memory as MCP tools. Each tool builds the same request the REST API receives, checks it with
/// <see cref="MemoryValidator"/> and calls <see cref="IMemoryStore"/>: one set of rules, one path to Qdrant.
/// Descriptions are written for the model that reads them.
/// </summary>
[McpServerToolType]
internal sealed class MemoryTools(IMemoryStore store)
{
    private const string CategoryHelp =
        "One of: preference (how the user likes things done), fact (something true about the user or their world), " +
        "event (something that happened, with its date if known), workflow (how a task is done, steps), " +
        "context (background about a project or situation).";

    [McpServerTool(Name = "store_memory", Title = "Store a memory", Destructive = false, Idempotent = false, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Saves one durable piece of information to long-term memory so it can be recalled in later conversations. " +
        "Store one self-contained idea per call, written so it makes sense without this conversation " +
        "(e.g. 'The user prefers tabs over spaces in Python code.'). Returns the stored memory with its id.")]
    public async Task<MemoryView> StoreMemory(
        [Description("The memory itself, as a complete sentence or short paragraph (1 to 10,000 characters).")] string content,
        [Description(CategoryHelp)] string category,
        [Description("Up to 20 short keywords for later filtering, e.g. [\"python\", \"style\"] (each 1 to 50 characters; stored lower-case). Optional.")] string[]? tags = null,
        [Description("How much this matters, from 0 (trivia) to 1 (critical). Default 0.5.")] double? importance = null,
        [Description("The project this memory belongs to (1 to 100 characters). Omit for a memory that applies everywhere.")] string? project = null,
        CancellationToken cancellationToken = default)
    {
        var memory = MemoryValidator.Validate(new CreateMemoryRequest(content, category, Project: project, Importance: importance, Tags: tags));
        return MemoryView.From(await store.StoreAsync(memory, cancellationToken));
    }

    [McpServerTool(Name = "retrieve_memories", Title = "Find memories by meaning", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Finds the stored memories closest in meaning to a natural-language query, best first, each with its id, " +
        "similarity score (higher is closer; above about 0.5 is usually relevant), category and content. " +
        "Use it before answering anything that may depend on what the user said in earlier conversations.")]
    public async Task<RetrievedMemories> RetrieveMemories(
        [Description("What you are looking for, in plain words, e.g. 'which editor theme does the user like'.")] string query,
        [Description("How many memories to return, 1 to 100. Default 10.")] int? limit = null,
        [Description("Only memories of these categories (preference, fact, event, workflow, context). Optional.")] string[]? categories = null,
        [Description("Only memories of this project. Optional; omit to search every memory.")] string? project = null,
        [Description("Only memories carrying at least one of these tags. Optional.")] string[]? tags = null,
        [Description("Only memories at least this important, 0 to 1. Optional.")] double? minImportance = null,
        [Description("Only results scoring at least this much, -1 to 1. Optional.")] double? minScore = null,
        CancellationToken cancellationToken = default)
    {
        var search = MemoryValidator.Validate(new SearchMemoriesRequest(
            query, limit, minScore, categories, Project: project, TagsAny: tags, MinImportance: minImportance));
        var results = await store.SearchAsync(search, cancellationToken);
        return new RetrievedMemories([.. results.Select(RetrievedMemory.From)]);
    }

    [McpServerTool(Name = "delete_memory", Title = "Delete a memory", Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Deletes one memory for good, by its id (from retrieve_memories or list_memories). Use it when the user asks " +
        "to forget something or a memory is no longer true (store the corrected fact as a new memory).")]
    public async Task<DeletedMemory> DeleteMemory(
        [Description("The memory's id, a UUID such as 0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69.")] string id,
        CancellationToken cancellationToken = default)
    {
        var memoryId = MemoryValidator.ParseId(id);
        if (!await store.DeleteAsync(memoryId, cancellationToken))
        {
            throw MemoryValidationException.For(
                "id", $"no memory has id {memoryId} (already deleted, or never stored); find ids with retrieve_memories or list_memories.");
        }

        return new DeletedMemory(memoryId, Deleted: true);
    }

    [McpServerTool(Name = "list_memories", Title = "List memories", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Lists stored memories that match the filters, in storage order (not by relevance), a page at a time. " +
        "To find memories about a topic use retrieve_memories instead. Pass nextCursor from the previous page to continue.")]
    public async Task<ListedMemories> ListMemories(
        [Description("Only memories of these categories (preference, fact, event, workflow, context). Optional.")] string[]? categories = null,
        [Description("Only memories of this project. Optional.")] string? project = null,
        [Description("'global' for memories that apply everywhere, 'project' for project memories. Optional.")] string? scope = null,
        [Description("Only memories carrying at least one of these tags. Optional.")] string[]? tags = null,
        [Description("Only memories at least this important, 0 to 1. Optional.")] double? minImportance = null,
        [Description("How many memories per page, 1 to 100. Default 20.")] int? limit = null,
        [Description("The nextCursor of the previous page; omit for the first page.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var filter = MemoryValidator.Validate(new MemoryFilterRequest(categories, scope, project, TagsAny: tags, MinImportance: minImportance));
        var size = MemoryValidator.ValidateListLimit(limit);
        var page = await store.ListAsync(filter, size, string.IsNullOrWhiteSpace(cursor) ? null : cursor, cancellationToken);
        return new ListedMemories([.. page.Items.Select(MemoryView.From)], page.NextCursor);
    }
}
