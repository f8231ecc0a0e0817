using System.Net;
using MemoryService.Memories;
using MemoryService.Tests.Support;

namespace MemoryService.Tests.Apis;

/// <summary>With the real local model (ArcticXs), a paraphrase sharing almost no words finds the memory it means.</summary>
public sealed class SemanticRankingTests(SemanticRankingTests.Fixture fixture) : IClassFixture<SemanticRankingTests.Fixture>
{
    [Theory]
    [InlineData("Which colour scheme do I like for my code editor?", "I always use a dark theme in Visual Studio Code.")]
    [InlineData("What pet do I have?", "My dog Biscuit is a three year old beagle.")]
    [InlineData("How do we ship a new release?", "To deploy, tag the commit and the pipeline publishes the packages.")]
    public async Task A_paraphrase_ranks_its_memory_above_unrelated_ones(string query, string meant)
    {
        using var client = fixture.CreateClient();
        var project = MemoryApiRoundTripTests.Unique("semantic");
        string[] unrelated =
        [
            "The quarterly budget review is on Thursday afternoon.",
            "Paris is the capital of France.",
            "I am allergic to peanuts.",
            "The office wifi password changes every month.",
            "Our team standup starts at nine thirty.",
        ];
        var response = await client.PostJsonAsync("/memories/batch", new
        {
            memories = unrelated.Append(meant).Select(content => new { content, category = "fact", project }),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var search = await client.PostJsonAsync("/memories/search", new { query, project, limit = 6 });
        var results = (await search.ReadAsync<MemorySearchResponse>()).Results;

        Assert.Equal(6, results.Count);
        Assert.Equal(meant, results[0].Memory.Content);
        Assert.True(results[0].Score > results[1].Score);
    }

    public sealed class Fixture() : MemoryServiceFixture(true, ("Memory:Embeddings:Provider", "Local"));
}
