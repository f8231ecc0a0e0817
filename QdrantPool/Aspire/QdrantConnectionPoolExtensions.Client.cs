using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Qdrant.Client;
using QdrantPool;
using QdrantPool.Client;
using QdrantPool.Resilience;

namespace Microsoft.Extensions.Hosting;

public static partial class QdrantConnectionPoolExtensions
{
    /// <summary>
    /// Registers the drop-in <see cref="QdrantClient"/> over the pool (keyed like the pool): code written for the
    /// official client integration keeps injecting <see cref="QdrantClient"/>, and each of its calls borrows a lease.
    /// </summary>
    private static void AddPooledQdrantClient(IHostApplicationBuilder builder, string connectionName, string? serviceKey)
    {
        if (serviceKey is null)
        {
            builder.Services.AddSingleton(sp => CreatePooledClient(sp, sp.GetRequiredService<IQdrantConnectionPool>(), connectionName));
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => CreatePooledClient(sp, sp.GetRequiredKeyedService<IQdrantConnectionPool>(serviceKey), connectionName));
        }
    }

    private static QdrantClient CreatePooledClient(IServiceProvider services, IQdrantConnectionPool pool, string connectionName) =>
        pool is QdrantConnectionPool concrete
            ? QdrantPooledClientFactory.Create(concrete, services.GetService<ILoggerFactory>())
            : throw new InvalidOperationException(
                $"The pooled QdrantClient for '{connectionName}' needs the IQdrantConnectionPool the integration registers, not a {pool.GetType().Name}. " +
                $"Set 'DisableQdrantClient' to register a QdrantClient of your own.");

    /// <summary>
    /// Registers the pool's pipeline in Polly's registry under <c>QdrantPool:{name}</c>. Polly's registry keeps the
    /// first registration for a key, so a pipeline the application registered under that key before this call wins;
    /// one registered after it is ignored.
    /// </summary>
    private static void AddResiliencePipeline(IHostApplicationBuilder builder, QdrantConnectionPoolSettings settings, string connectionName)
    {
        if (!builder.Properties.TryAdd($"QdrantPool.Pipeline.{connectionName}", true))
        {
            return;
        }

        builder.Services.AddResiliencePipeline(QdrantPoolResilience.PipelineKey(connectionName), (pipeline, _) =>
            PoolResilience.Configure(pipeline, settings.ToOptions(connectionName)));
    }
}
