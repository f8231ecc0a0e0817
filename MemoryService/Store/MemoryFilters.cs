using MemoryService.Memories;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace MemoryService.Store;

/// <summary>Translates a <see cref="MemoryFilter"/> into a Qdrant filter: every condition in <c>must</c>.</summary>
internal static class MemoryFilters
{
    /// <returns>The filter, or null when nothing is filtered (Qdrant then scans everything).</returns>
    public static Filter? ToQdrant(MemoryFilter filter)
    {
        var result = new Filter();
        if (filter.Categories is { Count: > 0 } categories)
        {
            // match.keywords: any of the listed categories.
            result.Must.Add(Match(MemoryPayload.Category, categories.Select(c => c.ToName()).ToArray()));
        }

        if (filter.Scope is { } scope)
        {
            result.Must.Add(MatchKeyword(MemoryPayload.Scope, scope.ToName()));
        }

        if (filter.Project is { } project)
        {
            result.Must.Add(MatchKeyword(MemoryPayload.Project, project));
        }

        if (filter.TagsAny is { Count: > 0 } tagsAny)
        {
            result.Must.Add(Match(MemoryPayload.Tags, tagsAny.ToArray()));
        }

        // An array matches a keyword when any element does, so "all of these tags" is one condition per tag.
        foreach (var tag in filter.TagsAll ?? [])
        {
            result.Must.Add(MatchKeyword(MemoryPayload.Tags, tag));
        }

        if (filter.MinImportance is { } minImportance)
        {
            result.Must.Add(Range(MemoryPayload.Importance, new Qdrant.Client.Grpc.Range { Gte = minImportance }));
        }

        if (filter.CreatedAfter is not null || filter.CreatedBefore is not null)
        {
            var range = new Qdrant.Client.Grpc.Range();
            if (filter.CreatedAfter is { } after)
            {
                range.Gt = after.ToUnixTimeMilliseconds();
            }

            if (filter.CreatedBefore is { } before)
            {
                range.Lt = before.ToUnixTimeMilliseconds();
            }

            result.Must.Add(Range(MemoryPayload.CreatedAt, range));
        }

        return result.Must.Count == 0 ? null : result;
    }
}
