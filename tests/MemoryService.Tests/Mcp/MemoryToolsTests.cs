using System.Net;
using System.Text.Json;
using MemoryService.Tests.Support;
using ModelContextProtocol.Client;

namespace MemoryService.Tests.Mcp;

/// <summary>The MCP tools through the SDK's client over HTTP, against the real service and its emulator.</summary>
public sealed class MemoryToolsTests(PooledServiceFixture fixture) : IClassFixture<PooledServiceFixture>, IAsyncLifetime
{
    private McpClient _client = null!;

    public async Task InitializeAsync() => _client = await McpSession.ConnectAsync(fixture);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Tools_are_listed_with_a_description_on_the_tool_and_on_every_parameter()
    {
        var tools = await _client.ListToolsAsync();

        Assert.Equal(["delete_memory", "list_memories", "retrieve_memories", "store_memory"], tools.Select(t => t.Name).Order());
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{tool.Name} has no description");
            var properties = tool.JsonSchema.GetProperty("properties").EnumerateObject().ToList();
            Assert.NotEmpty(properties);
            Assert.All(properties, p => Assert.True(
                p.Value.TryGetProperty("description", out var d) && d.GetString()!.Length > 10,
                $"{tool.Name}.{p.Name} has no description"));
        }

        var store = tools.Single(t => t.Name == "store_memory");
        Assert.Equal(["category", "content"], store.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(
            ["category", "content", "importance", "project", "tags"],
            store.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Store_then_retrieve_finds_the_memory_with_id_score_category_and_content()
    {
        var project = Unique("mcp-retrieve");
        var stored = await _client.CallOkAsync("store_memory", new()
        {
            ["content"] = "The user drinks green tea every morning",
            ["category"] = "preference",
            ["tags"] = new[] { "Drinks", "morning" },
            ["importance"] = 0.9,
            ["project"] = project,
        });
        await _client.CallOkAsync("store_memory", new() { ["content"] = "Builds run on GitHub Actions", ["category"] = "fact", ["project"] = project });

        var id = stored.GetProperty("id").GetGuid();
        Assert.Equal("preference", stored.GetProperty("category").GetString());
        Assert.Equal("project", stored.GetProperty("scope").GetString());
        Assert.Equal(["drinks", "morning"], stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var found = await _client.CallOkAsync("retrieve_memories", new() { ["query"] = "green tea in the morning", ["project"] = project, ["limit"] = 5 });

        var results = found.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var best = results[0];
        Assert.Equal(id, best.GetProperty("id").GetGuid());
        Assert.Equal("preference", best.GetProperty("category").GetString());
        Assert.Equal("The user drinks green tea every morning", best.GetProperty("content").GetString());
        Assert.True(best.GetProperty("score").GetDouble() > results[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Retrieve_applies_the_category_and_tag_filters()
    {
        var project = Unique("mcp-filters");
        await _client.CallOkAsync("store_memory", new() { ["content"] = "Deploys happen on Tuesday", ["category"] = "workflow", ["tags"] = new[] { "deploy" }, ["project"] = project });
        await _client.CallOkAsync("store_memory", new() { ["content"] = "Deploys failed last Tuesday", ["category"] = "event", ["tags"] = new[] { "incident" }, ["project"] = project });

        var workflows = await _client.CallOkAsync("retrieve_memories", new() { ["query"] = "deploys tuesday", ["project"] = project, ["categories"] = new[] { "workflow" } });
        var incidents = await _client.CallOkAsync("retrieve_memories", new() { ["query"] = "deploys tuesday", ["project"] = project, ["tags"] = new[] { "incident" } });

        Assert.Equal("Deploys happen on Tuesday", Assert.Single(workflows.GetProperty("results").EnumerateArray()).GetProperty("content").GetString());
        Assert.Equal("Deploys failed last Tuesday", Assert.Single(incidents.GetProperty("results").EnumerateArray()).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Delete_removes_the_memory_and_a_second_delete_says_it_is_gone()
    {
        var project = Unique("mcp-delete");
        var stored = await _client.CallOkAsync("store_memory", new() { ["content"] = "Temporary note to forget", ["category"] = "context", ["project"] = project });
        var id = stored.GetProperty("id").GetGuid();

        var deleted = await _client.CallOkAsync("delete_memory", new() { ["id"] = id.ToString() });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());

        Assert.Null(await fixture.Store.GetAsync(id));
        var found = await _client.CallOkAsync("retrieve_memories", new() { ["query"] = "temporary note", ["project"] = project });
        Assert.Empty(found.GetProperty("results").EnumerateArray());

        var again = await _client.CallFailingAsync("delete_memory", new() { ["id"] = id.ToString() });
        Assert.Contains($"no memory has id {id}", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_pages_through_the_filtered_memories_with_the_cursor()
    {
        var project = Unique("mcp-list");
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var stored = await _client.CallOkAsync("store_memory", new() { ["content"] = $"listed memory {i}", ["category"] = "fact", ["project"] = project });
            ids.Add(stored.GetProperty("id").GetGuid());
        }

        var seen = new List<Guid>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var listed = await _client.CallOkAsync("list_memories", new() { ["project"] = project, ["limit"] = 2, ["cursor"] = cursor });
            seen.AddRange(listed.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
            cursor = listed.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Equal(5, seen.Count);
        Assert.True(ids.SetEquals(seen));
    }

    [Theory]
    [InlineData("store_memory", """{"content":"x","category":"opinion"}""", "category: must be one of preference, fact, event, workflow, context; 'opinion' is not.")]
    [InlineData("store_memory", """{"content":"   ","category":"fact"}""", "content: is required: 1 to 10,000 characters, not blank.")]
    [InlineData("store_memory", """{"content":"x","category":"fact","importance":7}""", "importance: must be between 0 and 1; it is 7.")]
    [InlineData("store_memory", """{"content":"x","category":"fact","tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags: must hold at most 20 tags; it holds 21.")]
    [InlineData("retrieve_memories", """{"query":"tea","limit":500}""", "limit: must be between 1 and 100; it is 500.")]
    [InlineData("retrieve_memories", """{"query":""}""", "query: is required")]
    [InlineData("list_memories", """{"categories":["facts"]}""", "categories[0]: must be one of preference, fact, event, workflow, context; 'facts' is not.")]
    [InlineData("list_memories", """{"limit":0}""", "limit: must be between 1 and 100; it is 0.")]
    [InlineData("list_memories", """{"cursor":"not-a-cursor"}""", "cursor")]
    [InlineData("delete_memory", """{"id":"not-a-uuid"}""", "id: must be a UUID")]
    public async Task Invalid_arguments_come_back_as_a_tool_error_naming_the_field_and_the_rule(string tool, string argumentsJson, string expected)
    {
        var message = await _client.CallFailingAsync(tool, Arguments(argumentsJson));

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.StartsWith($"Invalid arguments for {tool}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store_memory", """{"content":"x","category":"fact","importance":"high"}""", "importance: must be a number (or omitted); it is the string \"high\".")]
    [InlineData("store_memory", """{"content":"x","category":"fact","tags":"one,two"}""", "tags: must be an array of strings (or omitted); it is the string \"one,two\".")]
    [InlineData("store_memory", """{"content":"x","category":"fact","tags":[1,2]}""", "tags: must be an array of strings (or omitted); it is an array holding number.")]
    [InlineData("retrieve_memories", """{"query":"tea","limit":2.5}""", "limit: must be an integer (or omitted); it is the number 2.5.")]
    [InlineData("store_memory", """{"category":"fact"}""", "content: is required (a string).")]
    [InlineData("store_memory", """{"content":"x","category":"fact","importnace":0.9}""", "'importnace' is not an argument of this tool; it takes content, category, tags, importance, project.")]
    public async Task Arguments_of_the_wrong_type_missing_or_unknown_come_back_as_a_tool_error_naming_the_argument(string tool, string argumentsJson, string expected)
    {
        var message = await _client.CallFailingAsync(tool, Arguments(argumentsJson));

        Assert.Equal($"Invalid arguments for {tool}; fix these and call it again: {expected}", message);
    }

    [Fact]
    public async Task Mcp_without_the_api_key_answers_401()
    {
        using var http = fixture.CreateAnonymousClient();
        using var response = await http.PostAsync("/mcp", new StringContent(
            """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => McpSession.ConnectAsync(fixture, apiKey: "wrong-key"));
    }

    private static Dictionary<string, object?> Arguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(e => e.Key, e => (object?)e.Value);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}

/// <summary>MemoryService pointed at a loopback port nothing listens on: the collection never becomes ready.</summary>
public sealed class NoQdrantServiceFixture() : MemoryServiceFixture(usePool: true)
{
    private readonly int _deadPort = FreeLoopbackPort();

    protected override string ConnectionString => $"Endpoint=http://127.0.0.1:{_deadPort};Key={QdrantKey}";

    protected override bool WaitForReadiness => false;

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class MemoryToolsWithoutQdrantTests(NoQdrantServiceFixture fixture) : IClassFixture<NoQdrantServiceFixture>
{
    [Theory]
    [InlineData("store_memory", """{"content":"The user likes tea","category":"preference"}""")]
    [InlineData("retrieve_memories", """{"query":"tea"}""")]
    [InlineData("list_memories", """{}""")]
    public async Task A_store_that_cannot_serve_comes_back_as_a_tool_error_saying_to_retry(string tool, string argumentsJson)
    {
        await using var client = await McpSession.ConnectAsync(fixture);

        var message = await client.CallFailingAsync(tool, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(argumentsJson)!.ToDictionary(e => e.Key, e => (object?)e.Value));

        Assert.StartsWith("The memory store is unavailable right now (", message, StringComparison.Ordinal);
        Assert.Matches(@"Nothing was changed; try again in \d+ s\.$", message);
    }
}
