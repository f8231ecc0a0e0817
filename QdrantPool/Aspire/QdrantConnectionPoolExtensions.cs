using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Polly.Registry;
using QdrantPool;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers a <see cref="IQdrantConnectionPool"/> in an Aspire application, with a <c>QdrantClient</c> whose every
/// call borrows a lease (unless <see cref="QdrantConnectionPoolSettings.DisableQdrantClient"/>), its health check, its
/// OpenTelemetry meter and activity source, and its Polly pipeline under <c>QdrantPool:{name}</c> in Polly's registry.
/// </summary>
public static partial class QdrantConnectionPoolExtensions
{
    internal const string DefaultConfigSectionName = "Aspire:Qdrant:Pool";
    internal const string HealthCheckName = "QdrantPool";

    /// <summary>
    /// Registers <see cref="IQdrantConnectionPool"/> as a singleton, configured from <c>Aspire:Qdrant:Pool</c>,
    /// <c>Aspire:Qdrant:Pool:{connectionName}</c>,
    /// <c>ConnectionStrings:{connectionName}</c> and finally <paramref name="configureSettings"/>.
    /// </summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="connectionName">The name of the connection string, and of the pool in telemetry.</param>
    /// <param name="configureSettings">An optional delegate run last, after every configuration source.</param>
    /// <exception cref="InvalidOperationException">A configured value cannot be read; the message names the key and value.</exception>
    public static void AddQdrantConnectionPool(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<QdrantConnectionPoolSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        AddQdrantConnectionPool(builder, connectionName, serviceKey: null, configureSettings);
    }

    /// <summary>
    /// Registers <see cref="IQdrantConnectionPool"/> as a keyed singleton under <paramref name="name"/>, which is
    /// also the connection name; configured as <see cref="AddQdrantConnectionPool"/> describes.
    /// </summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="name">The service key, connection-string name and pool name.</param>
    /// <param name="configureSettings">An optional delegate run last, after every configuration source.</param>
    /// <exception cref="InvalidOperationException">A configured value cannot be read; the message names the key and value.</exception>
    public static void AddKeyedQdrantConnectionPool(
        this IHostApplicationBuilder builder,
        string name,
        Action<QdrantConnectionPoolSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        AddQdrantConnectionPool(builder, name, serviceKey: name, configureSettings);
    }

    private static void AddQdrantConnectionPool(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<QdrantConnectionPoolSettings>? configureSettings)
    {
        var settings = BindSettings(builder.Configuration, connectionName);
        configureSettings?.Invoke(settings);

        if (serviceKey is null)
        {
            builder.Services.AddSingleton<IQdrantConnectionPool>(sp => CreatePool(sp, settings, connectionName));
        }
        else
        {
            builder.Services.AddKeyedSingleton<IQdrantConnectionPool>(serviceKey, (sp, _) => CreatePool(sp, settings, connectionName));
        }

        AddResiliencePipeline(builder, settings, connectionName);

        if (!settings.DisableQdrantClient)
        {
            AddPooledQdrantClient(builder, connectionName, serviceKey);
        }

        if (!settings.DisableWarmup && builder.Properties.TryAdd($"QdrantPool.Warmup.{serviceKey ?? string.Empty}", true))
        {
            builder.Services.AddSingleton<IHostedService>(sp => new QdrantPoolWarmupService(
                sp, connectionName, serviceKey, sp.GetRequiredService<ILogger<QdrantPoolWarmupService>>()));
        }

        if (!settings.DisableHealthChecks)
        {
            var healthCheckName = serviceKey is null ? HealthCheckName : $"{HealthCheckName}_{connectionName}";
            TryAddHealthCheck(builder, new HealthCheckRegistration(
                healthCheckName,
                sp => new QdrantPoolHealthCheck(serviceKey is null
                    ? sp.GetRequiredService<IQdrantConnectionPool>()
                    : sp.GetRequiredKeyedService<IQdrantConnectionPool>(serviceKey)),
                failureStatus: null,
                tags: null,
                timeout: settings.HealthCheckTimeout));
        }

        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(QdrantConnectionPool.TelemetryName));
        }

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(QdrantConnectionPool.TelemetryName));
        }
    }

    internal static QdrantConnectionPoolSettings BindSettings(IConfiguration configuration, string connectionName)
    {
        var settings = new QdrantConnectionPoolSettings();
        var section = configuration.GetSection(DefaultConfigSectionName);
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);

        if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ParseConnectionString(connectionString, connectionName);
        }

        return settings;
    }

    // The endpoint is checked here, when the pool is first resolved, not at registration: by then logging
    // exists, and an app that never touches the pool is not stopped by a missing connection string.
    private static QdrantConnectionPool CreatePool(IServiceProvider services, QdrantConnectionPoolSettings settings, string connectionName)
    {
        if (settings.Endpoint is null)
        {
            throw new InvalidOperationException(
                $"The Qdrant connection pool '{connectionName}' has no endpoint. Set 'ConnectionStrings:{connectionName}' " +
                $"(for example 'Endpoint=http://localhost:6334;Key=...'), '{DefaultConfigSectionName}:{connectionName}:Endpoint' " +
                $"or '{DefaultConfigSectionName}:Endpoint'.");
        }

        return new QdrantConnectionPool(
            settings.ToOptions(connectionName),
            connectionFactory: null,
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            random: null,
            pipeline: services.GetService<ResiliencePipelineProvider<string>>()?.GetPipeline(QdrantPoolResilience.PipelineKey(connectionName)));
    }

    // The same de-duplication as Aspire's own integrations (same property key), so registering a pool twice
    // under one name does not add two checks with the same name, which the health-check service rejects.
    private static void TryAddHealthCheck(IHostApplicationBuilder builder, HealthCheckRegistration registration)
    {
        if (builder.Properties.TryAdd($"Aspire.HealthChecks.{registration.Name}", true))
        {
            builder.Services.AddHealthChecks().Add(registration);
        }
    }
}
