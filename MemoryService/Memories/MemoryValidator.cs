namespace MemoryService.Memories;

/// <summary>
/// Turns what a client sent into validated values, or throws <see cref="MemoryValidationException"/> listing every
/// broken rule with its field. Shared by the REST endpoints and the MCP tools so both refuse the same input.
/// </summary>
public static class MemoryValidator
{
    public static NewMemory Validate(CreateMemoryRequest? request, Func<Guid>? newId = null)
    {
        var errors = new ValidationErrors();
        var memory = Validate(request, "", errors, newId ?? Guid.CreateVersion7);
        errors.ThrowIfAny();
        return memory!;
    }

    public static IReadOnlyList<NewMemory> Validate(CreateMemoriesRequest? request, Func<Guid>? newId = null)
    {
        var errors = new ValidationErrors();
        var items = request?.Memories;
        if (items is null || items.Count == 0)
        {
            errors.Add("memories", $"must hold 1 to {MemoryRules.MaxBatchSize} memories; it is empty.");
        }
        else if (items.Count > MemoryRules.MaxBatchSize)
        {
            errors.Add("memories", $"must hold 1 to {MemoryRules.MaxBatchSize} memories; it holds {items.Count}.");
        }

        errors.ThrowIfAny();
        var memories = new List<NewMemory>(items!.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var memory = Validate(items[i], $"memories[{i}].", errors, newId ?? Guid.CreateVersion7);
            if (memory is not null)
            {
                memories.Add(memory);
            }
        }

        var duplicate = memories.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors.Add("memories", $"each id must appear once; {duplicate.Key} appears {duplicate.Count()} times.");
        }

        errors.ThrowIfAny();
        return memories;
    }

    public static MemoryPatch Validate(UpdateMemoryRequest? request)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "is required: a JSON object with any of content, category, scope, project, importance, tags, metadata.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var patch = new MemoryPatch(
            Content: r.Content is null ? null : Content(r.Content, "content", errors),
            Category: r.Category is null ? null : Category(r.Category, "category", errors),
            Scope: r.Scope is null ? null : Scope(r.Scope, "scope", errors),
            Project: r.Project is null ? null : Project(r.Project, "project", errors),
            Importance: r.Importance is null ? null : Importance(r.Importance, "importance", errors),
            Tags: r.Tags is null ? null : Tags(r.Tags, "tags", errors),
            Metadata: r.Metadata is null ? null : Metadata(r.Metadata, "metadata", errors));
        if (patch.Scope == MemoryScope.Global && patch.Project is not null)
        {
            errors.Add("project", "must be absent when scope is 'global'.");
        }

        errors.ThrowIfAny();
        return patch;
    }

    public static MemoryQuery Validate(SearchMemoriesRequest? request)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("query", "is required.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var text = Text(r.Query, "query", errors);
        var limit = Limit(r.Limit, "limit", MemoryRules.DefaultSearchLimit, MemoryRules.MaxSearchLimit, errors);
        if (r.MinScore is { } minScore && (!double.IsFinite(minScore) || minScore < -1 || minScore > 1))
        {
            errors.Add("minScore", $"must be between -1 and 1; it is {minScore}.");
        }

        var filter = Filter(
            new MemoryFilterRequest(r.Categories, r.Scope, r.Project, r.TagsAny, r.TagsAll, r.MinImportance, r.CreatedAfter, r.CreatedBefore),
            errors,
            categoriesField: "categories",
            tagsAnyField: "tagsAny",
            tagsAllField: "tagsAll");
        errors.ThrowIfAny();
        return new MemoryQuery(text!, limit, r.MinScore, filter);
    }

    /// <param name="categoriesField">The name the caller used for the category list (<c>category</c> in a query string).</param>
    public static MemoryFilter Validate(
        MemoryFilterRequest? request,
        string categoriesField = "categories",
        string tagsAnyField = "tagsAny",
        string tagsAllField = "tagsAll")
    {
        var errors = new ValidationErrors();
        var filter = Filter(request ?? new MemoryFilterRequest(), errors, categoriesField, tagsAnyField, tagsAllField);
        errors.ThrowIfAny();
        return filter;
    }

    /// <summary>A listing's page size: 1 to <see cref="MemoryRules.MaxListLimit"/>, default <see cref="MemoryRules.DefaultListLimit"/>.</summary>
    public static int ValidateListLimit(int? limit)
    {
        var errors = new ValidationErrors();
        var value = Limit(limit, "limit", MemoryRules.DefaultListLimit, MemoryRules.MaxListLimit, errors);
        errors.ThrowIfAny();
        return value;
    }

    /// <summary>A memory id as it arrives in a route or argument: a UUID, in any of .NET's accepted forms.</summary>
    public static Guid ParseId(string? id, string field = "id")
    {
        if (string.IsNullOrWhiteSpace(id) || !Guid.TryParse(id.Trim(), out var parsed) || parsed == Guid.Empty)
        {
            throw MemoryValidationException.For(field, $"must be a UUID such as 0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69; '{Shorten(id)}' is not.");
        }

        return parsed;
    }

    /// <summary>Checks a memory after a patch was merged into it: a project scope needs a project.</summary>
    public static void ValidateScope(MemoryScope scope, string? project)
    {
        if (scope == MemoryScope.Project && project is null)
        {
            throw MemoryValidationException.For("project", "is required when scope is 'project'.");
        }
    }

    private static NewMemory? Validate(CreateMemoryRequest? request, string prefix, ValidationErrors errors, Func<Guid> newId)
    {
        if (request is null)
        {
            errors.Add(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "must be a memory object with at least content and category.");
            return null;
        }

        var before = errors.Count;
        Guid id;
        if (request.Id is null)
        {
            id = newId();
        }
        else
        {
            try
            {
                id = ParseId(request.Id, prefix + "id");
            }
            catch (MemoryValidationException error)
            {
                errors.Add(error.Errors);
                id = Guid.Empty;
            }
        }

        var content = Content(request.Content, prefix + "content", errors);
        MemoryCategory category = default;
        if (request.Category is null)
        {
            errors.Add(prefix + "category", $"is required: one of {string.Join(", ", MemoryNames.Categories)}.");
        }
        else
        {
            category = Category(request.Category, prefix + "category", errors) ?? default;
        }

        var scope = request.Scope is null
            ? (request.Project is null ? MemoryScope.Global : MemoryScope.Project)
            : Scope(request.Scope, prefix + "scope", errors) ?? default;
        var project = request.Project is null ? null : Project(request.Project, prefix + "project", errors);
        if (scope == MemoryScope.Project && request.Project is null)
        {
            errors.Add(prefix + "project", "is required when scope is 'project'.");
        }
        else if (scope == MemoryScope.Global && request.Project is not null && request.Scope is not null)
        {
            errors.Add(prefix + "project", "must be absent when scope is 'global'.");
        }

        var importance = Importance(request.Importance, prefix + "importance", errors) ?? MemoryRules.DefaultImportance;
        var tags = Tags(request.Tags, prefix + "tags", errors);
        var metadata = Metadata(request.Metadata, prefix + "metadata", errors);
        return errors.Count > before
            ? null
            : new NewMemory(id, content!, category, scope, project, importance, tags, metadata);
    }

    private static MemoryFilter Filter(
        MemoryFilterRequest r, ValidationErrors errors, string categoriesField, string tagsAnyField, string tagsAllField)
    {
        List<MemoryCategory>? categories = null;
        if (r.Categories is { Count: > 0 })
        {
            categories = [];
            for (var i = 0; i < r.Categories.Count; i++)
            {
                if (Category(r.Categories[i], $"{categoriesField}[{i}]", errors) is { } category && !categories.Contains(category))
                {
                    categories.Add(category);
                }
            }
        }

        var scope = r.Scope is null ? (MemoryScope?)null : Scope(r.Scope, "scope", errors);
        var project = r.Project is null ? null : Project(r.Project, "project", errors);
        if (scope == MemoryScope.Global && project is not null)
        {
            errors.Add("project", "cannot be combined with scope 'global'.");
        }

        var tagsAny = r.TagsAny is { Count: > 0 } ? Tags(r.TagsAny, tagsAnyField, errors) : null;
        var tagsAll = r.TagsAll is { Count: > 0 } ? Tags(r.TagsAll, tagsAllField, errors) : null;
        var minImportance = Importance(r.MinImportance, "minImportance", errors);
        if (r.CreatedAfter is { } after && r.CreatedBefore is { } before && after >= before)
        {
            errors.Add("createdBefore", $"must be later than createdAfter ({after:O}); it is {before:O}.");
        }

        return new MemoryFilter(
            categories,
            project is not null ? MemoryScope.Project : scope,
            project,
            tagsAny,
            tagsAll,
            minImportance,
            r.CreatedAfter?.ToUniversalTime(),
            r.CreatedBefore?.ToUniversalTime());
    }

    private static string? Content(string? content, string field, ValidationErrors errors) =>
        Text(content, field, errors);

    private static string? Text(string? text, string field, ValidationErrors errors)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(field, $"is required: 1 to {MemoryRules.MaxContentLength:N0} characters, not blank.");
            return null;
        }

        if (trimmed.Length > MemoryRules.MaxContentLength)
        {
            errors.Add(field, $"must be at most {MemoryRules.MaxContentLength:N0} characters; it has {trimmed.Length:N0}.");
            return null;
        }

        return trimmed;
    }

    private static MemoryCategory? Category(string? text, string field, ValidationErrors errors)
    {
        if (MemoryNames.TryParseCategory(text, out var category))
        {
            return category;
        }

        errors.Add(field, $"must be one of {string.Join(", ", MemoryNames.Categories)}; '{Shorten(text)}' is not.");
        return null;
    }

    private static MemoryScope? Scope(string? text, string field, ValidationErrors errors)
    {
        if (MemoryNames.TryParseScope(text, out var scope))
        {
            return scope;
        }

        errors.Add(field, $"must be one of {string.Join(", ", MemoryNames.Scopes)}; '{Shorten(text)}' is not.");
        return null;
    }

    private static string? Project(string? text, string field, ValidationErrors errors)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MemoryRules.MaxProjectLength)
        {
            errors.Add(field, $"must be 1 to {MemoryRules.MaxProjectLength} characters, not blank; it has {trimmed?.Length ?? 0}.");
            return null;
        }

        return trimmed;
    }

    private static double? Importance(double? importance, string field, ValidationErrors errors)
    {
        if (importance is { } value && (!double.IsFinite(value) || value < 0 || value > 1))
        {
            errors.Add(field, $"must be between 0 and 1; it is {value}.");
            return null;
        }

        return importance;
    }

    private static IReadOnlyList<string> Tags(IReadOnlyList<string>? tags, string field, ValidationErrors errors)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        if (tags.Count > MemoryRules.MaxTags)
        {
            errors.Add(field, $"must hold at most {MemoryRules.MaxTags} tags; it holds {tags.Count}.");
            return [];
        }

        var normalised = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i]?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(tag) || tag.Length > MemoryRules.MaxTagLength)
            {
                errors.Add($"{field}[{i}]", $"must be 1 to {MemoryRules.MaxTagLength} characters, not blank; it has {tag?.Length ?? 0}.");
            }
            else if (!normalised.Contains(tag))
            {
                normalised.Add(tag);
            }
        }

        return normalised;
    }

    private static IReadOnlyDictionary<string, string> Metadata(
        IReadOnlyDictionary<string, string>? metadata, string field, ValidationErrors errors)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        if (metadata.Count > MemoryRules.MaxMetadataEntries)
        {
            errors.Add(field, $"must hold at most {MemoryRules.MaxMetadataEntries} entries; it holds {metadata.Count}.");
            return new Dictionary<string, string>();
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MemoryRules.MaxMetadataKeyLength)
            {
                errors.Add(field, $"keys must be 1 to {MemoryRules.MaxMetadataKeyLength} characters, not blank; '{Shorten(key)}' is not.");
            }
            else if (value is null || value.Length > MemoryRules.MaxMetadataValueLength)
            {
                errors.Add($"{field}.{key}", $"must be a string of at most {MemoryRules.MaxMetadataValueLength:N0} characters.");
            }
            else
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static int Limit(int? limit, string field, int defaultValue, int max, ValidationErrors errors)
    {
        if (limit is null)
        {
            return defaultValue;
        }

        if (limit < 1 || limit > max)
        {
            errors.Add(field, $"must be between 1 and {max}; it is {limit}.");
            return defaultValue;
        }

        return limit.Value;
    }

    // Echoed values are cut short so a 10 MB field does not come back in the error.
    private static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private sealed class ValidationErrors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }

            messages.Add(message);
            Count++;
        }

        public void Add(IReadOnlyDictionary<string, string[]> errors)
        {
            foreach (var (field, messages) in errors)
            {
                foreach (var message in messages)
                {
                    Add(field, message);
                }
            }
        }

        public void ThrowIfAny()
        {
            if (Count > 0)
            {
                throw new MemoryValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
            }
        }
    }
}
