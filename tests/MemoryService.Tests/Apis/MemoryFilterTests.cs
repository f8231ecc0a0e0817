using System.Net;
using MemoryService.Memories;
using MemoryService.Tests.Support;

namespace MemoryService.Tests.Apis;

/// <summary>
/// Every filter alone and combined, through search, list and count, against expectations computed from the seeded
/// memories; and paging through 1,000 memories. Run with and without the pool.
/// </summary>
public abstract class MemoryFilterTests(MemoryServiceFixture fixture) : IAsyncLifetime
{
    private readonly HttpClient _client = fixture.CreateClient();
    private readonly string _project = MemoryApiRoundTripTests.Unique("filters");
    private readonly string _otherProject = MemoryApiRoundTripTests.Unique("other");
    private readonly string _tagPrefix = "t" + Guid.NewGuid().ToString("N")[..6];
    private List<Memory> _early = [];
    private List<Memory> _late = [];

    private List<Memory> All => [.. _early, .. _late];

    // Two batches with distinct creation times, so createdAfter / createdBefore have something to split.
    public async Task InitializeAsync()
    {
        _early = await SeedAsync(0);
        var boundary = _early[0].CreatedAt;
        await Eventually.TrueAsync(() => Task.FromResult(DateTimeOffset.UtcNow > boundary.AddMilliseconds(2)), TimeSpan.FromSeconds(5), "the clock to pass the first batch");
        _late = await SeedAsync(1);
        Assert.True(_late[0].CreatedAt > boundary);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Filters() =>
    [
        "none", "category", "categories", "scope-global", "scope-project", "project", "tagsAny", "tagsAll",
        "minImportance", "createdAfter", "createdBefore", "category+tagsAll+minImportance", "project+createdAfter+tagsAny",
        "categories+scope+createdBefore+minImportance",
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Search_list_and_count_apply_the_filter(string name)
    {
        var (filter, expected) = Case(name);

        var search = await _client.PostJsonAsync("/memories/search", new SearchMemoriesRequest(
            "seeded memory", 100, null, filter.Categories?.Select(c => c.ToName()).ToArray(), filter.Scope?.ToName(), filter.Project, filter.TagsAny, filter.TagsAll,
            filter.MinImportance, filter.CreatedAfter, filter.CreatedBefore));
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var found = (await search.ReadAsync<MemorySearchResponse>()).Results.Select(r => r.Memory.Id).Where(IsSeeded);
        Assert.Equal(expected.Order(), found.Order());

        var query = ToQuery(filter);
        var listed = await ListAllAsync(query, limit: 7);
        Assert.Equal(expected.Order(), listed.Where(IsSeeded).Order());

        // Every case is narrowed to this instance's own tags or projects, so the count is exact.
        var count = await (await _client.GetAsync("/memories/count?" + query)).ReadAsync<MemoryCountResponse>();
        Assert.Equal(expected.Count, count.Count);
    }

    [Fact]
    public async Task Count_with_the_tag_filter_matches_the_listing()
    {
        var count = await (await _client.GetAsync($"/memories/count?tag={_tagPrefix}-all")).ReadAsync<MemoryCountResponse>();
        Assert.Equal(All.Count, count.Count);
    }

    [Fact]
    public async Task Paging_through_1000_memories_returns_each_once_with_no_gaps()
    {
        var project = MemoryApiRoundTripTests.Unique("paging");
        var stored = new HashSet<Guid>();
        for (var batch = 0; batch < 2; batch++)
        {
            var response = await _client.PostJsonAsync("/memories/batch", new
            {
                memories = Enumerable.Range(0, 500).Select(i => new { content = $"page memory {batch}-{i}", category = "fact", project }),
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            stored.UnionWith((await response.ReadAsync<MemoryItems>()).Items.Select(m => m.Id));
        }

        Assert.Equal(1000, stored.Count);
        foreach (var limit in new[] { 100, 37 })
        {
            var seen = await ListAllAsync($"project={project}", limit);
            Assert.Equal(1000, seen.Count);
            Assert.Equal(1000, seen.Distinct().Count());
            Assert.True(stored.SetEquals(seen));
        }

        Assert.Equal(1000, (await (await _client.GetAsync($"/memories/count?project={project}")).ReadAsync<MemoryCountResponse>()).Count);
    }

    private (MemoryFilter Filter, List<Guid> Expected) Case(string name)
    {
        var boundary = _early[0].CreatedAt;
        var lateTime = _late[0].CreatedAt;
        var tagAll = new[] { $"{_tagPrefix}-all" };
        MemoryFilter filter = name switch
        {
            "none" => new(TagsAny: tagAll),
            "category" => new(Categories: [MemoryCategory.Fact], TagsAll: tagAll),
            "categories" => new(Categories: [MemoryCategory.Fact, MemoryCategory.Workflow], TagsAll: tagAll),
            "scope-global" => new(Scope: MemoryScope.Global, TagsAll: tagAll),
            "scope-project" => new(Scope: MemoryScope.Project, TagsAll: tagAll),
            "project" => new(Project: _project),
            "tagsAny" => new(TagsAny: [$"{_tagPrefix}-red", $"{_tagPrefix}-blue"]),
            "tagsAll" => new(TagsAll: [$"{_tagPrefix}-red", $"{_tagPrefix}-blue"]),
            "minImportance" => new(MinImportance: 0.6, TagsAll: tagAll),
            "createdAfter" => new(CreatedAfter: boundary, TagsAll: tagAll),
            "createdBefore" => new(CreatedBefore: lateTime, TagsAll: tagAll),
            "category+tagsAll+minImportance" => new(Categories: [MemoryCategory.Fact, MemoryCategory.Event], TagsAll: [$"{_tagPrefix}-red", $"{_tagPrefix}-all"], MinImportance: 0.3),
            "project+createdAfter+tagsAny" => new(Project: _otherProject, CreatedAfter: boundary, TagsAny: [$"{_tagPrefix}-blue"]),
            "categories+scope+createdBefore+minImportance" => new(Categories: [MemoryCategory.Event, MemoryCategory.Preference], Scope: MemoryScope.Global, CreatedBefore: lateTime, MinImportance: 0.5, TagsAll: tagAll),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var expected = All.Where(m =>
                (filter.Categories is null || filter.Categories.Contains(m.Category))
                && (filter.Scope is null || filter.Scope == m.Scope)
                && (filter.Project is null || filter.Project == m.Project)
                && (filter.TagsAny is null || filter.TagsAny.Any(m.Tags.Contains))
                && (filter.TagsAll is null || filter.TagsAll.All(m.Tags.Contains))
                && (filter.MinImportance is null || m.Importance >= filter.MinImportance)
                && (filter.CreatedAfter is null || m.CreatedAt > filter.CreatedAfter)
                && (filter.CreatedBefore is null || m.CreatedAt < filter.CreatedBefore))
            .Select(m => m.Id)
            .ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < All.Count || name == "none", $"the case '{name}' filters nothing out");
        return (filter, expected);
    }

    private async Task<List<Memory>> SeedAsync(int batch)
    {
        var categories = new[] { "fact", "preference", "event", "workflow", "context" };
        var memories = Enumerable.Range(0, 10).Select(i =>
        {
            var tags = new List<string> { $"{_tagPrefix}-all" };
            if (i % 2 == 0)
            {
                tags.Add($"{_tagPrefix}-red");
            }

            if (i % 3 == 0)
            {
                tags.Add($"{_tagPrefix}-blue");
            }

            string? project = (i % 4) switch { 0 => _project, 1 => _otherProject, _ => null };
            return new
            {
                content = $"seeded memory {batch} {i}",
                category = categories[i % categories.Length],
                project,
                importance = (i % 5) / 4.0,
                tags,
            };
        });
        var response = await _client.PostJsonAsync("/memories/batch", new { memories });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return [.. (await response.ReadAsync<MemoryItems>()).Items];
    }

    private async Task<List<Guid>> ListAllAsync(string query, int limit)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        for (var page = 0; page < 2000; page++)
        {
            var url = $"/memories?{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}");
            var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.ReadAsync<MemoryListResponse>();
            Assert.True(body.Items.Count <= limit);
            ids.AddRange(body.Items.Select(m => m.Id));
            cursor = body.NextCursor;
            if (cursor is null)
            {
                return ids;
            }
        }

        throw new InvalidOperationException("The listing never ended.");
    }

    private static string ToQuery(MemoryFilter filter)
    {
        var parts = new List<string>();
        parts.AddRange((filter.Categories ?? []).Select(c => "category=" + c.ToName()));
        if (filter.Scope is { } scope)
        {
            parts.Add("scope=" + scope.ToName());
        }

        if (filter.Project is { } project)
        {
            parts.Add("project=" + Uri.EscapeDataString(project));
        }

        parts.AddRange((filter.TagsAny ?? []).Select(t => "tag=" + t));
        parts.AddRange((filter.TagsAll ?? []).Select(t => "tagAll=" + t));
        if (filter.MinImportance is { } minImportance)
        {
            parts.Add("minImportance=" + minImportance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (filter.CreatedAfter is { } after)
        {
            parts.Add("createdAfter=" + Uri.EscapeDataString(after.ToString("O")));
        }

        if (filter.CreatedBefore is { } before)
        {
            parts.Add("createdBefore=" + Uri.EscapeDataString(before.ToString("O")));
        }

        return string.Join("&", parts);
    }

    private bool IsSeeded(Guid id) => All.Any(m => m.Id == id);
}

public sealed class MemoryFilterTests_WithPool(PooledServiceFixture fixture)
    : MemoryFilterTests(fixture), IClassFixture<PooledServiceFixture>;

public sealed class MemoryFilterTests_WithoutPool(SharedClientServiceFixture fixture)
    : MemoryFilterTests(fixture), IClassFixture<SharedClientServiceFixture>;
