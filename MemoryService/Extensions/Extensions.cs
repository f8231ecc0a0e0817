using MemoryService.Embeddings;
using System.Text.Json;
using System.Text.Json.Serialization;
using MemoryService.Apis;
using MemoryService.Store;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using QdrantPool;

namespace MemoryService.Extensions;

internal static class Extensions
{
    /// <summary>Everything MemoryService needs besides the service defaults: options, embeddings, Qdrant, store, API.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryOptions>()
            .BindConfiguration(MemoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(MemoryOptions.SectionName).Get<MemoryOptions>() ?? new MemoryOptions();
        builder.Services.TryAddSingletonTimeProvider();

        builder.AddMemoryEmbeddings();
        builder.AddMemoryQdrant(options);

        builder.Services.AddSingleton(sp => new MemoryCollection(sp.GetRequiredService<IOptions<MemoryOptions>>().Value.Collection));
        builder.Services.AddSingleton<IMemoryStore, QdrantMemoryStore>();
        builder.Services.AddSingleton<MemoryCollectionBootstrapper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryCollectionBootstrapper>());
        builder.Services.AddHealthChecks().AddCheck<MemoryCollectionHealthCheck>(MemoryCollectionHealthCheck.Name, tags: ["ready"]);

        builder.Services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));
        // Malformed JSON and unbindable values become exceptions that MemoryErrors turns into a 400 naming the field,
        // in every environment (by default only Development throws; elsewhere the 400 would have no body).
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<MemoryErrors>();
        builder.Services.AddOpenApi();

        // builder.AddMemoryMcp(); — arrives with memory-ai's MCP tools
    }

    /// <summary>
    /// Where the store's QdrantClient comes from. With <c>Memory:UsePool</c> (default) the QdrantPool integration,
    /// whose connections carry <c>Memory:QdrantCallTimeout</c> as their deadline unless the pool sets its own; without,
    /// one client from the same connection string, as Aspire's Qdrant client integration would register it.
    /// </summary>
    private static void AddMemoryQdrant(this IHostApplicationBuilder builder, MemoryOptions options)
    {
        if (options.UsePool)
        {
            builder.AddQdrantConnectionPool(MemoryOptions.ConnectionName, pool => pool.GrpcTimeout ??= options.QdrantCallTimeout);
            builder.Services.AddSingleton<IQdrantCalls>(sp => new PooledCalls(sp.GetRequiredService<IQdrantConnectionPool>()));
        }
        else
        {
            builder.Services.AddSingleton(sp => SharedQdrantClient.Create(
                sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<MemoryOptions>>().Value, sp.GetService<ILoggerFactory>()));
            builder.Services.AddSingleton<IQdrantCalls>(sp => new SharedClientCalls(sp.GetRequiredService<Qdrant.Client.QdrantClient>()));
        }
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
