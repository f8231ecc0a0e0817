using BenchmarkDotNet.Attributes;
using MemoryService.Embeddings;
using Microsoft.Extensions.AI;

namespace MemoryService.Benchmarks;

/// <summary>
/// How many padded tokens one ONNX run should take: a batch of <see cref="BatchSize"/> texts, per text, with the
/// slice budget varied. 16,384 lets 32 full windows run together (what the adapter first did); 512 runs one full
/// window at a time but still packs short texts. Chose <see cref="ArcticXsEmbeddingGenerator.DefaultMaxTokensPerRun"/>.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn, MaxColumn]
public class BatchSliceBenchmark
{
    public const int BatchSize = 16;

    private ArcticXsEmbeddingGenerator _model = null!;
    private string[] _batch = null!;

    [Params("paragraph", "document")]
    public string Size { get; set; } = "paragraph";

    [Params(512, 2048, 8192, 16384)]
    public int TokensPerRun { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _model = new ArcticXsEmbeddingGenerator(TokensPerRun);
        _batch = [.. Enumerable.Range(0, BatchSize).Select(i => SampleTexts.Of(Size, i))];
        await _model.GenerateAsync(["warm-up"]);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "16 texts per call (per text)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> BatchPerText() => _model.GenerateAsync(_batch);
}
