using Microsoft.Extensions.AI;

namespace MemoryService.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator.GetService"/> as both our generators answer it: their metadata, or the generator
/// itself for any type it is; nothing keyed.
/// </summary>
internal static class EmbeddingGeneratorServices
{
    public static object? Get(IEmbeddingGenerator generator, EmbeddingGeneratorMetadata metadata, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
            : serviceType.IsInstanceOfType(generator) ? generator
            : null;
    }
}
