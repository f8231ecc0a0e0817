using MemoryService.Tests.Support;

namespace MemoryService.Tests.Mcp;

/// <summary>MemoryService with its default embeddings, the local arctic-embed-xs model.</summary>
public sealed class LocalModelServiceFixture() : MemoryServiceFixture(usePool: true, ("Memory:Embeddings:Provider", "Local"));

public sealed class MemoryToolsWithTheLocalModelTests(LocalModelServiceFixture fixture) : IClassFixture<LocalModelServiceFixture>
{
    [Fact]
    public async Task Retrieve_ranks_a_stored_paraphrase_above_unrelated_memories()
    {
        await using var client = await McpSession.ConnectAsync(fixture);
        var memories = ParaphraseCorpus.Memories;
        foreach (var content in memories)
        {
            await client.CallOkAsync("store_memory", new() { ["content"] = content, ["category"] = "fact", ["project"] = "semantic" });
        }

        var found = await client.CallOkAsync("retrieve_memories", new()
        {
            ["query"] = "What does the user like to drink when they wake up?",
            ["project"] = "semantic",
            ["limit"] = 5,
        });

        var results = found.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(5, results.Count);
        Assert.Equal("Every morning the user has a cup of green tea.", results[0].GetProperty("content").GetString());
    }
}
