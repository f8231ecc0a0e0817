using MemoryService.Embeddings;

namespace MemoryService.Tests.Embeddings;

/// <summary>One loaded model for the class (loading takes ~0.5 s and ~100 MB).</summary>
public sealed class ArcticXsFixture : IDisposable
{
    internal ArcticXsEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}
