using BenchmarkDotNet.Attributes;
using MemoryService.Embeddings;
using Microsoft.Extensions.AI;

namespace MemoryService.Benchmarks;

/// <summary>
/// What embedding costs with the local model (arctic-embed-xs on ONNX Runtime, CPU), per text: one text per call
/// (the baseline: what POST /memories and every search pay) against a batch of <see cref="BatchSize"/> texts in one
/// call (what POST /memories/batch pays per memory). The model is the bare adapter, without the pipeline's cache.
/// The word-hash generator is the floor: no model at all.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn, MaxColumn]
public class LocalEmbeddingBenchmark
{
    public const int BatchSize = 32;

    private ArcticXsEmbeddingGenerator _model = null!;
    private WordHashEmbeddingGenerator _hash = null!;
    private string[] _batch = null!;
    private string _single = null!;

    [Params("sentence", "paragraph", "document")]
    public string Size { get; set; } = "sentence";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _model = new ArcticXsEmbeddingGenerator();
        _hash = new WordHashEmbeddingGenerator();
        _batch = [.. Enumerable.Range(0, BatchSize).Select(i => SampleTexts.Of(Size, i))];
        _single = SampleTexts.Of(Size, -1);
        await _model.GenerateAsync([_single]); // loads the model outside the measurement
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(Baseline = true, Description = "model, 1 text per call")]
    public Task<GeneratedEmbeddings<Embedding<float>>> OneTextPerCall() => _model.GenerateAsync([_single]);

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "model, 32 texts per call (per text)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> BatchPerText() => _model.GenerateAsync(_batch);

    [Benchmark(Description = "word hash, 1 text per call")]
    public Task<GeneratedEmbeddings<Embedding<float>>> HashOneText() => _hash.GenerateAsync([_single]);
}
