using System.Globalization;
using MemoryService.Memories;
using MemoryService.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QdrantPool;

namespace MemoryService.Apis;

/// <summary>The REST API: every route in one place, handlers returning typed results.</summary>
internal static class MemoryApi
{
    public static IEndpointRouteBuilder MapMemoryApi(this IEndpointRouteBuilder app)
    {
        var memories = app.MapGroup("/memories")
            .WithTags("Memories")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        memories.MapPost("/", CreateMemory)
            .WithName("CreateMemory")
            .WithSummary("Store a memory")
            .WithDescription("Computes the content's embedding and stores the memory. Answers 201 with it and its Location. An id may be supplied; otherwise the service picks one before writing, so a retry never duplicates.");
        memories.MapPost("/batch", CreateMemories)
            .WithName("CreateMemories")
            .WithSummary("Store up to 500 memories at once")
            .WithDescription("Validates and embeds all of them first, then writes them in one upsert: either all are stored or none.");
        memories.MapGet("/{id}", GetMemory)
            .WithName("GetMemory")
            .WithSummary("Get one memory by id")
            .ProducesProblem(StatusCodes.Status404NotFound);
        memories.MapPatch("/{id}", UpdateMemory)
            .WithName("UpdateMemory")
            .WithSummary("Change some fields of a memory")
            .WithDescription("Any subset of content, category, scope, project, importance, tags, metadata. Re-embeds only when the content changes.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        memories.MapDelete("/{id}", DeleteMemory)
            .WithName("DeleteMemory")
            .WithSummary("Delete a memory")
            .ProducesProblem(StatusCodes.Status404NotFound);
        memories.MapPost("/search", SearchMemories)
            .WithName("SearchMemories")
            .WithSummary("Find memories by meaning")
            .WithDescription("Embeds the query and returns the closest memories, best first, each with its score; filters narrow the candidates.");
        memories.MapGet("/", ListMemories)
            .WithName("ListMemories")
            .WithSummary("List memories page by page")
            .WithDescription("Filtered listing in id order (Qdrant's scroll order). Pass nextCursor back as cursor for the next page; null means the last page.");
        memories.MapGet("/count", CountMemories)
            .WithName("CountMemories")
            .WithSummary("Count memories matching the filters");

        app.MapGet("/pool", GetPool)
            .WithTags("Pool")
            .WithName("GetPool")
            .WithSummary("The Qdrant connection pool's statistics")
            .WithDescription("PoolStats as JSON, or, when Memory:UsePool is false, a body saying there is no pool.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Created<Memory>> CreateMemory(CreateMemoryRequest request, IMemoryStore store, CancellationToken cancellationToken)
    {
        var memory = await store.StoreAsync(MemoryValidator.Validate(request), cancellationToken);
        return TypedResults.Created($"/memories/{memory.Id}", memory);
    }

    public static async Task<Created<MemoryItems>> CreateMemories(CreateMemoriesRequest request, IMemoryStore store, CancellationToken cancellationToken)
    {
        var stored = await store.StoreManyAsync(MemoryValidator.Validate(request), cancellationToken);
        return TypedResults.Created((string?)null, new MemoryItems(stored));
    }

    public static async Task<Results<Ok<Memory>, ProblemHttpResult>> GetMemory(string id, IMemoryStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(MemoryValidator.ParseId(id), cancellationToken) is { } memory
            ? TypedResults.Ok(memory)
            : NotFound(id);

    public static async Task<Results<Ok<Memory>, ProblemHttpResult>> UpdateMemory(
        string id, UpdateMemoryRequest request, IMemoryStore store, CancellationToken cancellationToken)
    {
        var memoryId = MemoryValidator.ParseId(id);
        return await store.UpdateAsync(memoryId, MemoryValidator.Validate(request), cancellationToken) is { } memory
            ? TypedResults.Ok(memory)
            : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMemory(string id, IMemoryStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(MemoryValidator.ParseId(id), cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(id);

    public static async Task<Ok<MemorySearchResponse>> SearchMemories(SearchMemoriesRequest request, IMemoryStore store, CancellationToken cancellationToken)
    {
        var results = await store.SearchAsync(MemoryValidator.Validate(request), cancellationToken);
        return TypedResults.Ok(new MemorySearchResponse(results));
    }

    public static async Task<Ok<MemoryListResponse>> ListMemories([AsParameters] MemoryListQuery query, IMemoryStore store, CancellationToken cancellationToken)
    {
        var (filter, limit) = query.Validate();
        var page = await store.ListAsync(filter, limit, string.IsNullOrEmpty(query.Cursor) ? null : query.Cursor, cancellationToken);
        return TypedResults.Ok(new MemoryListResponse(page.Items, page.NextCursor));
    }

    public static async Task<Ok<MemoryCountResponse>> CountMemories([AsParameters] MemoryListQuery query, IMemoryStore store, CancellationToken cancellationToken)
    {
        var (filter, _) = query.Validate();
        return TypedResults.Ok(new MemoryCountResponse(await store.CountAsync(filter, cancellationToken)));
    }

    public static Results<Ok<PoolStats>, Ok<NoPoolResponse>> GetPool(IServiceProvider services) =>
        services.GetService<IQdrantConnectionPool>() is { } pool
            ? TypedResults.Ok(pool.GetStats())
            : TypedResults.Ok(new NoPoolResponse(
                Pool: null,
                Message: "No connection pool: Memory:UsePool is false, so every Qdrant call shares one QdrantClient."));

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Memory not found.",
        detail: $"No memory has id '{id.Trim()}'.");
}

/// <summary>What <c>GET /pool</c> answers when the service runs without the pool.</summary>
public sealed record NoPoolResponse(object? Pool, string Message);

/// <summary>
/// The filters of <c>GET /memories</c> and <c>GET /memories/count</c> as query parameters. Numbers and times arrive as
/// text and are parsed here, so a bad value is a 400 naming its parameter rather than a bare binding failure.
/// </summary>
public sealed class MemoryListQuery
{
    /// <summary>Repeatable: any of these categories.</summary>
    [FromQuery(Name = "category")] public string[]? Category { get; init; }
    [FromQuery(Name = "scope")] public string? Scope { get; init; }
    [FromQuery(Name = "project")] public string? Project { get; init; }
    /// <summary>Repeatable: memories with any of these tags.</summary>
    [FromQuery(Name = "tag")] public string[]? Tag { get; init; }
    /// <summary>Repeatable: memories with all of these tags.</summary>
    [FromQuery(Name = "tagAll")] public string[]? TagAll { get; init; }
    [FromQuery(Name = "minImportance")] public string? MinImportance { get; init; }
    /// <summary>ISO 8601, e.g. 2026-01-31T12:00:00Z.</summary>
    [FromQuery(Name = "createdAfter")] public string? CreatedAfter { get; init; }
    [FromQuery(Name = "createdBefore")] public string? CreatedBefore { get; init; }
    /// <summary>Page size, 1–100 (default 20). Ignored by count.</summary>
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    /// <summary>The previous page's nextCursor.</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    internal (MemoryFilter Filter, int Limit) Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var minImportance = Parse(MinImportance, "minImportance", "a number between 0 and 1",
            text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null, errors);
        var after = Parse(CreatedAfter, "createdAfter", "an ISO 8601 date-time", Time, errors);
        var before = Parse(CreatedBefore, "createdBefore", "an ISO 8601 date-time", Time, errors);
        var limit = Parse(Limit, "limit", $"a whole number between 1 and {MemoryRules.MaxListLimit}",
            text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null, errors);
        if (errors.Count > 0)
        {
            throw new MemoryValidationException(errors);
        }

        var filter = MemoryValidator.Validate(
            new MemoryFilterRequest(Category, Scope, Project, Tag, TagAll, minImportance, after, before),
            categoriesField: "category", tagsAnyField: "tag", tagsAllField: "tagAll");
        return (filter, MemoryValidator.ValidateListLimit(limit));
    }

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    private static T? Parse<T>(string? text, string field, string expected, Func<string, T?> parse, Dictionary<string, string[]> errors)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = parse(text.Trim());
        if (value is null)
        {
            errors[field] = [$"must be {expected}; '{(text.Length > 40 ? text[..40] + "…" : text)}' is not."];
        }

        return value;
    }
}
