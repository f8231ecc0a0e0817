using MemoryService.Embeddings;
using Microsoft.Extensions.AI;

namespace MemoryService.Tests.Embeddings;

public sealed class WordHashEmbeddingGeneratorTests
{
    private readonly WordHashEmbeddingGenerator _generator = new();

    [Fact]
    public async Task Same_text_gives_the_same_vector_across_instances()
    {
        const string text = "The user prefers dark mode in every editor.";

        var first = await _generator.GenerateVectorAsync(text);
        using var other = new WordHashEmbeddingGenerator();
        var second = await other.GenerateVectorAsync(text);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task Vector_has_the_declared_dimension_and_unit_length()
    {
        var vector = await _generator.GenerateVectorAsync("deploys go out on Tuesdays");

        Assert.Equal(WordHashEmbeddingGenerator.Dimensions, vector.Length);
        Assert.Equal(256, _generator.GetDimensions());
        Assert.Equal(1f, VectorMath.Norm(vector.Span), precision: 5);
    }

    [Theory]
    [InlineData("the user likes tea in the morning", "tea in the morning is what the user likes", "quarterly revenue grew by four percent")]
    [InlineData("Project Apollo uses PostgreSQL 16", "PostgreSQL 16 runs Apollo", "the cat sat on a mat")]
    [InlineData("deploy on friday", "never deploy on a friday", "rollbacks need approval")]
    public async Task Texts_sharing_words_score_higher_than_texts_sharing_none(string text, string sharesWords, string sharesNone)
    {
        var vectors = await _generator.GenerateAsync([text, sharesWords, sharesNone]);

        var related = VectorMath.Cosine(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = VectorMath.Cosine(vectors[0].Vector.Span, vectors[2].Vector.Span);

        Assert.True(related > unrelated, $"sharing words scored {related}, sharing none {unrelated}");
        Assert.True(related > 0.3f, $"sharing words scored only {related}");
    }

    [Fact]
    public async Task Case_and_punctuation_do_not_change_the_vector()
    {
        var vectors = await _generator.GenerateAsync(["Dark mode, please!", "dark MODE please"]);

        Assert.Equal(vectors[0].Vector.ToArray(), vectors[1].Vector.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("a b c d e f g h i j k l m n o p q r s t u v w x y z")]
    public async Task Any_text_gets_a_unit_vector(string text)
    {
        var vector = await _generator.GenerateVectorAsync(text);

        Assert.Equal(1f, VectorMath.Norm(vector.Span), precision: 5);
    }

    [Fact]
    public async Task Batch_gives_the_same_vectors_as_one_at_a_time()
    {
        string[] texts = ["alpha beta", "gamma delta", "alpha gamma"];

        var batch = await _generator.GenerateAsync(texts);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await _generator.GenerateVectorAsync(texts[i]);
            Assert.Equal(single.ToArray(), batch[i].Vector.ToArray());
        }
    }

    [Fact]
    public void Metadata_names_the_generator_as_not_semantic()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Contains("not semantic", metadata.ProviderName, StringComparison.Ordinal);
        Assert.Equal(WordHashEmbeddingGenerator.ModelId, metadata.DefaultModelId);
    }
}
