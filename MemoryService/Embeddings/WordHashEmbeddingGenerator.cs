using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.AI;

namespace MemoryService.Embeddings;

/// <summary>
/// Not a language model: a bag of words hashed into 256 signed buckets ("feature hashing") and normalised.
/// The same text always gives the same vector, in every process, and texts that share words score higher than
/// texts that share none — enough for load runs and fast tests, useless for meaning ("car" and "automobile"
/// share nothing). Its dimension differs from the local model's on purpose, so the store's collection check
/// catches a switch of provider over existing data.
/// </summary>
internal sealed class WordHashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 256;
    public const string ModelId = "word-hash-256";

    private readonly EmbeddingGeneratorMetadata _metadata =
        new("word-hash (not semantic: for tests and load runs)", providerUri: null, ModelId, Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);

        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            embeddings.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    internal static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var vector = new float[Dimensions];
        var words = 0;
        foreach (var word in Words(text))
        {
            Add(vector, word);
            words++;
        }

        // Punctuation only, or nothing at all: hash the whole text, so every input still has a unit vector
        // (a zero vector has no cosine).
        if (words == 0)
        {
            Add(vector, text.Trim());
        }

        if (!UnitVector.TryNormalize(vector))
        {
            // Opposite signs cancelled exactly ("a b" with a and b in one bucket): fall back to a fixed axis.
            vector[0] = 1;
        }

        return vector;
    }

    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static void Add(float[] vector, string feature)
    {
        // XxHash3 is stable across processes and machines (string.GetHashCode is randomised per process).
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(feature));
        var bucket = (int)(hash % Dimensions);

        // A sign bit from the other half of the hash: colliding unrelated words cancel out on average instead of
        // adding up, so texts with no word in common score about 0.
        var sign = (hash >> 63) == 0 ? 1f : -1f;
        vector[bucket] += sign;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingGeneratorServices.Get(this, _metadata, serviceType, serviceKey);

    public void Dispose()
    {
    }
}
