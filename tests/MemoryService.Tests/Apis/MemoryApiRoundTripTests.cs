using System.Net;
using MemoryService.Memories;
using MemoryService.Tests.Support;

namespace MemoryService.Tests.Apis;

/// <summary>Every endpoint's round trip, run twice: through the pool and through one shared client.</summary>
public abstract class MemoryApiRoundTripTests(MemoryServiceFixture fixture)
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task Create_answers_201_with_the_memory_and_its_Location_and_Get_returns_it()
    {
        var response = await _client.PostJsonAsync("/memories", new
        {
            content = "  I prefer dark mode in every editor  ",
            category = "Preference",
            tags = new[] { "UI", "editor", "ui" },
            importance = 0.8,
            metadata = new Dictionary<string, string> { ["source"] = "chat" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync<Memory>();
        Assert.Equal($"/memories/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("I prefer dark mode in every editor", created.Content);
        Assert.Equal(MemoryCategory.Preference, created.Category);
        Assert.Equal(MemoryScope.Global, created.Scope);
        Assert.Null(created.Project);
        Assert.Equal(0.8, created.Importance);
        Assert.Equal(["ui", "editor"], created.Tags);
        Assert.Equal("chat", created.Metadata["source"]);
        Assert.Equal(TimeSpan.Zero, created.CreatedAt.Offset);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);

        var fetched = await (await _client.GetAsync($"/memories/{created.Id}")).ReadAsync<Memory>();
        Assert.Equivalent(created, fetched, strict: true);
    }

    [Fact]
    public async Task Json_uses_the_documented_camelCase_names_and_lower_case_values()
    {
        var response = await _client.PostJsonAsync("/memories", new { content = "names on the wire", category = "fact", project = "wire" });
        var json = await response.Content.ReadAsStringAsync();

        foreach (var name in new[] { "\"id\"", "\"content\"", "\"category\":\"fact\"", "\"scope\":\"project\"", "\"project\":\"wire\"", "\"importance\":0.5", "\"tags\"", "\"metadata\"", "\"createdAt\"", "\"updatedAt\"" })
        {
            Assert.Contains(name, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_with_a_client_id_twice_stores_one_memory()
    {
        var id = Guid.NewGuid();
        var project = Unique("retry");
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await _client.PostJsonAsync("/memories", new { id, content = "retried request", category = "event", project });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(id, (await response.ReadAsync<Memory>()).Id);
        }

        var count = await (await _client.GetAsync($"/memories/count?project={project}")).ReadAsync<MemoryCountResponse>();
        Assert.Equal(1, count.Count);
    }

    [Fact]
    public async Task Batch_stores_every_memory_and_answers_201_with_items()
    {
        var project = Unique("batch");
        var response = await _client.PostJsonAsync("/memories/batch", new
        {
            memories = Enumerable.Range(0, 25).Select(i => new { content = $"batch memory {i}", category = "fact", project }),
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var items = (await response.ReadAsync<MemoryItems>()).Items;
        Assert.Equal(25, items.Count);
        Assert.Equal(25, items.Select(m => m.Id).Distinct().Count());
        var count = await (await _client.GetAsync($"/memories/count?project={project}")).ReadAsync<MemoryCountResponse>();
        Assert.Equal(25, count.Count);
        foreach (var item in items.Take(3))
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/memories/{item.Id}")).StatusCode);
        }
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_keeps_the_creation_time()
    {
        var created = await CreateAsync(new { content = "patch me", category = "fact", project = "alpha", tags = new[] { "a" }, importance = 0.2 });

        var response = await _client.PatchAsync($"/memories/{created.Id}", Json(new { importance = 0.9, tags = new[] { "B", "c" } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await response.ReadAsync<Memory>();
        Assert.Equal("patch me", patched.Content);
        Assert.Equal(MemoryCategory.Fact, patched.Category);
        Assert.Equal("alpha", patched.Project);
        Assert.Equal(0.9, patched.Importance);
        Assert.Equal(["b", "c"], patched.Tags);
        Assert.Equal(created.CreatedAt, patched.CreatedAt);
        Assert.True(patched.UpdatedAt >= created.UpdatedAt);
        Assert.Equivalent(patched, await (await _client.GetAsync($"/memories/{created.Id}")).ReadAsync<Memory>(), strict: true);
    }

    [Fact]
    public async Task Patch_of_the_content_re_embeds_so_search_finds_the_new_words()
    {
        var project = Unique("reembed");
        var created = await CreateAsync(new { content = "zebra giraffe savanna", category = "fact", project });

        await _client.PatchAsync($"/memories/{created.Id}", Json(new { content = "quantum chromodynamics lattice" }));

        var hits = await SearchAsync(new { query = "quantum chromodynamics lattice", project, limit = 5 });
        Assert.Equal(created.Id, Assert.Single(hits).Memory.Id);
        Assert.True(hits[0].Score > 0.99, $"score {hits[0].Score}");
    }

    [Fact]
    public async Task Patch_to_global_scope_drops_the_project()
    {
        var created = await CreateAsync(new { content = "scoped then global", category = "context", project = "beta" });

        var patched = await (await _client.PatchAsync($"/memories/{created.Id}", Json(new { scope = "global" }))).ReadAsync<Memory>();

        Assert.Equal(MemoryScope.Global, patched.Scope);
        Assert.Null(patched.Project);
    }

    [Fact]
    public async Task Delete_answers_204_then_the_memory_is_gone()
    {
        var created = await CreateAsync(new { content = "delete me", category = "event" });

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/memories/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/memories/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/memories/{created.Id}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problem_details_for_get_patch_and_delete()
    {
        var id = Guid.NewGuid();
        foreach (var response in new[]
        {
            await _client.GetAsync($"/memories/{id}"),
            await _client.PatchAsync($"/memories/{id}", Json(new { importance = 0.1 })),
            await _client.DeleteAsync($"/memories/{id}"),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Search_answers_results_best_first_with_scores_and_honours_limit_and_minScore()
    {
        var project = Unique("search");
        var exact = await CreateAsync(new { content = "the quarterly report is due on friday", category = "event", project });
        var partial = await CreateAsync(new { content = "the report template lives in the wiki", category = "fact", project });
        await CreateAsync(new { content = "penguins cannot fly", category = "fact", project });

        var hits = await SearchAsync(new { query = "the quarterly report is due on friday", project, limit = 10 });
        Assert.Equal(exact.Id, hits[0].Memory.Id);
        Assert.Equal(partial.Id, hits[1].Memory.Id);
        Assert.True(hits.Zip(hits.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));

        Assert.Single(await SearchAsync(new { query = "the quarterly report is due on friday", project, limit = 1 }));
        var strict = await SearchAsync(new { query = "the quarterly report is due on friday", project, minScore = 0.99 });
        Assert.Equal(exact.Id, Assert.Single(strict).Memory.Id);
    }

    [Fact]
    public async Task List_and_count_answer_items_nextCursor_and_count()
    {
        var project = Unique("list");
        var stored = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            stored.Add((await CreateAsync(new { content = $"listed {i}", category = "fact", project })).Id);
        }

        var first = await (await _client.GetAsync($"/memories?project={project}&limit=2")).ReadAsync<MemoryListResponse>();
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        var second = await (await _client.GetAsync($"/memories?project={project}&limit=2&cursor={first.NextCursor}")).ReadAsync<MemoryListResponse>();
        Assert.Single(second.Items);
        Assert.Null(second.NextCursor);
        Assert.Equal(stored.Order(), first.Items.Concat(second.Items).Select(m => m.Id).Order());
        Assert.Equal(3, (await (await _client.GetAsync($"/memories/count?project={project}")).ReadAsync<MemoryCountResponse>()).Count);
    }

    [Fact]
    public async Task Pool_answers_the_pool_statistics_or_says_there_is_no_pool()
    {
        var response = await _client.GetAsync("/pool");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (fixture.UsePool)
        {
            Assert.Contains("\"maxSize\":4", json, StringComparison.Ordinal);
            Assert.Contains("\"totalAcquires\"", json, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("\"pool\":null", json, StringComparison.Ordinal);
            Assert.Contains("Memory:UsePool is false", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_answers_json_with_each_check_status_and_description()
    {
        var json = await (await fixture.CreateAnonymousClient().GetAsync("/health")).Content.ReadAsStringAsync();

        Assert.Contains("\"status\":\"Healthy\"", json, StringComparison.Ordinal);
        Assert.Contains($"Collection \\u0027{fixture.Collection}\\u0027 is ready: 256 dimensions, Cosine", json, StringComparison.Ordinal);
        Assert.Equal(fixture.UsePool, json.Contains("\"QdrantPool\"", StringComparison.Ordinal));
        Assert.DoesNotContain(MemoryServiceFixture.QdrantKey, json, StringComparison.Ordinal);
        Assert.DoesNotContain(MemoryServiceFixture.ApiKey, json, StringComparison.Ordinal);
    }

    private async Task<Memory> CreateAsync(object body)
    {
        var response = await _client.PostJsonAsync("/memories", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Memory>();
    }

    private async Task<IReadOnlyList<ScoredMemory>> SearchAsync(object body)
    {
        var response = await _client.PostJsonAsync("/memories/search", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<MemorySearchResponse>()).Results;
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, HttpJson.Options), System.Text.Encoding.UTF8, "application/json");

    internal static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];
}

public sealed class MemoryApiRoundTripTests_WithPool(PooledServiceFixture fixture)
    : MemoryApiRoundTripTests(fixture), IClassFixture<PooledServiceFixture>;

public sealed class MemoryApiRoundTripTests_WithoutPool(SharedClientServiceFixture fixture)
    : MemoryApiRoundTripTests(fixture), IClassFixture<SharedClientServiceFixture>;
