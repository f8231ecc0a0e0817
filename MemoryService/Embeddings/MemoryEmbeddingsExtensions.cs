using Microsoft.Extensions.AI;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MemoryService.Embeddings;

internal static class MemoryEmbeddingsExtensions
{
    public const string ProviderKey = "Memory:Embeddings:Provider";

    /// <summary>The bound of the embedding cache in MiB (of cached values); 0 turns the cache off.</summary>
    public const string CacheSizeKey = "Memory:Embeddings:CacheSizeMB";

    public const int DefaultCacheSizeMB = 32;

    /// <summary>The OpenTelemetry source and meter name of the embedding pipeline (spans and <c>gen_ai.*</c> metrics).</summary>
    public const string TelemetrySourceName = "MemoryService.Embeddings";

    /// <summary>
    /// Registers <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of string → float vector, chosen by
    /// <c>Memory:Embeddings:Provider</c> (<c>Local</c>, the default, or <c>Hash</c>), behind Microsoft.Extensions.AI's
    /// pipeline: OpenTelemetry outside, then a cache of recent embeddings (an in-memory <c>IDistributedCache</c>), then
    /// the model. Its dimension: <see cref="GetDimensions"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMemoryEmbeddings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var provider = ReadProvider(builder.Configuration);
        var cacheSizeMB = ReadCacheSizeMB(builder.Configuration);

        var pipeline = builder.Services
            .AddEmbeddingGenerator(services => CreateGenerator(provider))
            .UseOpenTelemetry(sourceName: TelemetrySourceName);
        if (cacheSizeMB > 0)
        {
            // The bound counts the cached values (JSON vectors: ~1.9 KB for a sparse Hash one, ~4.5 KB for a dense
            // Local one), so 32 MB holds ~17,600 or ~7,000. Under unique texts it fills, then stays full (least recently
            // used out first); full, it cost the soak ~45-50 MiB of working set (keys, entries, the GC's headroom).
            builder.Services.AddDistributedMemoryCache(cache => cache.SizeLimit = cacheSizeMB * 1024L * 1024L);
            pipeline.UseDistributedCache(configure: cache =>
                // Part of every key, so a shared cache (Redis, say) never hands one model's vectors to another.
                cache.CacheKeyAdditionalValues = [ModelIdOf(provider)]);
        }

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(TelemetrySourceName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(TelemetrySourceName));

        if (provider == EmbeddingProvider.Hash)
        {
            builder.Services.AddHostedService<HashEmbeddingsWarning>();
        }

        return builder;
    }

    /// <summary>
    /// The length of the vectors <paramref name="generator"/> makes (what the Qdrant collection must be sized for),
    /// read from its <see cref="EmbeddingGeneratorMetadata.DefaultModelDimensions"/>; no model is loaded to answer.
    /// </summary>
    public static int GetDimensions(this IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
            ?? throw new InvalidOperationException(
                $"The embedding generator {generator.GetType().Name} does not state its dimension (EmbeddingGeneratorMetadata.DefaultModelDimensions).");
    }

    internal static EmbeddingProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return EmbeddingProvider.Local;
        }

        // Enum.TryParse alone would also accept numbers ("1"); only the names are documented.
        if (Enum.TryParse<EmbeddingProvider>(value, ignoreCase: true, out var provider)
            && Enum.IsDefined(provider)
            && !char.IsDigit(value.Trim()[0]))
        {
            return provider;
        }

        throw new InvalidOperationException(
            $"{ProviderKey} is '{value}'; it must be one of: {string.Join(", ", Enum.GetNames<EmbeddingProvider>())}.");
    }

    internal static int ReadCacheSizeMB(IConfiguration configuration)
    {
        var value = configuration[CacheSizeKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultCacheSizeMB;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size <= 16 * 1024)
        {
            return size;
        }

        throw new InvalidOperationException(
            $"{CacheSizeKey} is '{value}'; it must be a whole number of MiB from 0 (no cache) to 16384.");
    }

    private static IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(EmbeddingProvider provider) => provider switch
    {
        EmbeddingProvider.Hash => new WordHashEmbeddingGenerator(),
        _ => new ArcticXsEmbeddingGenerator(),
    };

    private static string ModelIdOf(EmbeddingProvider provider) => provider switch
    {
        EmbeddingProvider.Hash => WordHashEmbeddingGenerator.ModelId,
        _ => ArcticXsEmbeddingGenerator.ModelId,
    };
}
