using BenchmarkDotNet.Attributes;
using MemoryService.Embeddings;
using Microsoft.Extensions.AI;

namespace MemoryService.Benchmarks;

/// <summary>
/// How much one ONNX run should take: a batch of <see cref="BatchSize"/> texts, per text, with the run's attention
/// budget varied in full 512-token windows (1 = <see cref="ArcticXsEmbeddingGenerator.DefaultMaxAttentionPerRun"/>;
/// 32 = what the adapter first did: up to 32 full windows together).
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

    [Params(1, 4, 16, 32)]
    public int WindowsPerRun { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _model = new ArcticXsEmbeddingGenerator(WindowsPerRun * 512L * 512L);
        _batch = [.. Enumerable.Range(0, BatchSize).Select(i => SampleTexts.Of(Size, i))];
        await _model.GenerateAsync(["warm-up"]);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "16 texts per call (per text)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> BatchPerText() => _model.GenerateAsync(_batch);
}
