using System.Net;
using System.Text.Json;
using MemoryService.Tests.Support;

namespace MemoryService.Tests.Apis;

/// <summary>Every invalid request answers 400 problem details naming the field and the rule.</summary>
public sealed class BadInputTests(PooledServiceFixture fixture) : IClassFixture<PooledServiceFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    public static TheoryData<string, string, string, string, string> Cases() => new()
    {
        // method, path, body, field, words of the rule
        { "POST", "/memories", """{"content":"","category":"fact"}""", "content", "1 to 10,000 characters" },
        { "POST", "/memories", """{"content":"   ","category":"fact"}""", "content", "not blank" },
        { "POST", "/memories", "{\"content\":\"" + new string('x', 10_001) + "\",\"category\":\"fact\"}", "content", "at most 10,000 characters; it has 10,001" },
        { "POST", "/memories", """{"category":"fact"}""", "content", "is required" },
        { "POST", "/memories", """{"content":"x","category":"opinion"}""", "category", "must be one of preference, fact, event, workflow, context" },
        { "POST", "/memories", """{"content":"x"}""", "category", "is required" },
        { "POST", "/memories", """{"content":"x","category":"fact","id":"not-a-uuid"}""", "id", "must be a UUID" },
        { "POST", "/memories", """{"content":"x","category":"fact","scope":"team"}""", "scope", "must be one of global, project" },
        { "POST", "/memories", """{"content":"x","category":"fact","scope":"project"}""", "project", "required when scope is 'project'" },
        { "POST", "/memories", """{"content":"x","category":"fact","project":""}""", "project", "1 to 100 characters" },
        { "POST", "/memories", """{"content":"x","category":"fact","importance":1.5}""", "importance", "between 0 and 1" },
        { "POST", "/memories", "{\"content\":\"x\",\"category\":\"fact\",\"tags\":[" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"t{i}\"")) + "]}", "tags", "at most 20 tags; it holds 21" },
        { "POST", "/memories", "{\"content\":\"x\",\"category\":\"fact\",\"tags\":[\"" + new string('t', 51) + "\"]}", "tags[0]", "1 to 50 characters" },
        { "POST", "/memories", "{\"content\":\"x\",\"category\":\"fact\",\"metadata\":{" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\"")) + "}}", "metadata", "at most 20 entries" },
        { "POST", "/memories", """{"content":"x","category":"fact""", "category", "is not valid JSON" },
        { "POST", "/memories", """{"content": 42, "category":"fact"}""", "content", "wrong JSON type" },
        { "POST", "/memories", """{"content":"x","category":"fact","tags":"one"}""", "tags", "wrong JSON type" },
        { "POST", "/memories", """{"content":"x","category":"fact","importance":"high"}""", "importance", "wrong JSON type" },
        { "POST", "/memories", "", "body", "is required" },
        { "POST", "/memories/batch", """{"memories":[]}""", "memories", "1 to 500 memories; it is empty" },
        { "POST", "/memories/batch", """{}""", "memories", "1 to 500 memories; it is empty" },
        { "POST", "/memories/batch", "{\"memories\":[" + string.Join(",", Enumerable.Repeat("{\"content\":\"x\",\"category\":\"fact\"}", 501)) + "]}", "memories", "1 to 500 memories; it holds 501" },
        { "POST", "/memories/batch", """{"memories":[{"content":"ok","category":"fact"},{"content":"","category":"fact"}]}""", "memories[1].content", "not blank" },
        { "POST", "/memories/batch", """{"memories":[{"content":"a","category":"fact","id":"0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69"},{"content":"b","category":"fact","id":"0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69"}]}""", "memories", "each id must appear once" },
        { "POST", "/memories/batch", """{"memories":[{"content":"a","category":"fact","importance":"x"}]}""", "memories[0].importance", "wrong JSON type" },
        { "POST", "/memories/search", """{"query":"x","limit":0}""", "limit", "between 1 and 100; it is 0" },
        { "POST", "/memories/search", """{"query":"x","limit":101}""", "limit", "between 1 and 100; it is 101" },
        { "POST", "/memories/search", """{"query":""}""", "query", "is required" },
        { "POST", "/memories/search", """{"query":"x","categories":["fact","gossip"]}""", "categories[1]", "must be one of" },
        { "POST", "/memories/search", """{"query":"x","minScore":2}""", "minScore", "between -1 and 1" },
        { "POST", "/memories/search", """{"query":"x","minImportance":-0.1}""", "minImportance", "between 0 and 1" },
        { "POST", "/memories/search", """{"query":"x","createdAfter":"2026-02-01T00:00:00Z","createdBefore":"2026-01-01T00:00:00Z"}""", "createdBefore", "later than createdAfter" },
        { "POST", "/memories/search", """{"query":"x","scope":"global","project":"p"}""", "project", "cannot be combined with scope 'global'" },
        { "POST", "/memories/search", """{"query":"x","limit":"ten"}""", "limit", "wrong JSON type" },
        { "GET", "/memories?limit=0", "", "limit", "between 1 and 100; it is 0" },
        { "GET", "/memories?limit=101", "", "limit", "between 1 and 100; it is 101" },
        { "GET", "/memories?limit=many", "", "limit", "whole number between 1 and 100" },
        { "GET", "/memories?category=fact&category=rumour", "", "category[1]", "must be one of" },
        { "GET", "/memories?minImportance=lots", "", "minImportance", "a number between 0 and 1" },
        { "GET", "/memories?createdAfter=yesterday", "", "createdAfter", "ISO 8601" },
        { "GET", "/memories?cursor=page-two", "", "cursor", "nextCursor value" },
        { "GET", "/memories/count?category=rumour", "", "category[0]", "must be one of" },
        { "GET", "/memories/not-a-uuid", "", "id", "must be a UUID" },
        { "GET", "/memories/00000000-0000-0000-0000-000000000000", "", "id", "must be a UUID" },
        { "PATCH", "/memories/12345", """{"importance":0.1}""", "id", "must be a UUID" },
        { "PATCH", "/memories/0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69", """{"content":""}""", "content", "not blank" },
        { "PATCH", "/memories/0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69", """{"category":"nope"}""", "category", "must be one of" },
        { "PATCH", "/memories/0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69", """{"scope":"global","project":"p"}""", "project", "must be absent when scope is 'global'" },
        { "PATCH", "/memories/0196a0c4-7c7e-7a3b-9b8e-1f2d3c4b5a69", """{"importance":[1]}""", "importance", "wrong JSON type" },
        { "DELETE", "/memories/xyz", "", "id", "must be a UUID" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Invalid_request_answers_400_naming_the_field_and_the_rule(string method, string path, string body, string field, string rule)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH")
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await _client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{(int)response.StatusCode}: {json}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(json);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {json}");
        Assert.Contains(messages.EnumerateArray(), message => message.GetString()!.Contains(rule, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_with_one_bad_memory_stores_none_of_them()
    {
        var project = MemoryApiRoundTripTests.Unique("atomic");
        var response = await _client.PostRawAsync("/memories/batch",
            $$"""{"memories":[{"content":"fine","category":"fact","project":"{{project}}"},{"content":"","category":"fact","project":"{{project}}"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var count = await (await _client.GetAsync($"/memories/count?project={project}")).ReadAsync<MemoryService.Memories.MemoryCountResponse>();
        Assert.Equal(0, count.Count);
    }

    [Fact]
    public async Task Unknown_route_answers_404_problem_details()
    {
        var response = await _client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
