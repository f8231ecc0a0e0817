using MemoryService.Embeddings;
using MemoryService.Mcp;
using System.Text.Json;
using System.Text.Json.Serialization;
using MemoryService.Apis;
using MemoryService.Store;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Qdrant.Client;

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

        builder.AddMemoryMcp();
    }

    /// <summary>
    /// Where the store's <see cref="QdrantClient"/> comes from; the store's code is the same either way. With
    /// <c>Memory:UsePool</c> (default) the QdrantPool integration's client, each call on a leased connection carrying
    /// <c>Memory:QdrantCallTimeout</c> as its deadline unless the pool sets its own GrpcTimeout; without, one client
    /// from the same connection string with that deadline, as Aspire's Qdrant client integration would register it.
    /// </summary>
    private static void AddMemoryQdrant(this IHostApplicationBuilder builder, MemoryOptions options)
    {
        if (options.UsePool)
        {
            builder.AddQdrantConnectionPool(MemoryOptions.ConnectionName, pool => pool.GrpcTimeout ??= options.QdrantCallTimeout);
        }
        else
        {
            builder.Services.AddSingleton(sp => SharedQdrantClient.Create(
                sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<MemoryOptions>>().Value, sp.GetService<ILoggerFactory>()));
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
