using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MemoryAspire.Hosting;

/// <summary>
/// Adds Qdrant the way <c>Qdrant:Mode</c> asks: the container, the emulator project, or an external server.
/// Every mode yields the same <c>ConnectionStrings__{name}</c> and the same authenticated health check.
/// </summary>
public static class QdrantModeBuilderExtensions
{
    internal const string ModeKey = "Qdrant:Mode";
    internal const string ProbeTimeoutKey = "Qdrant:ProbeTimeout";
    internal const string CheckContainerRuntimeKey = "Qdrant:CheckContainerRuntime";
    internal const string GrpcPortKey = "Qdrant:GrpcPort";
    internal const string HttpPortKey = "Qdrant:HttpPort";
    internal const string ContainerRuntimeKey = "ASPIRE_CONTAINER_RUNTIME";
    internal static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads <c>Qdrant:*</c>, decides the mode (probing for a container runtime in Auto) and adds Qdrant.</summary>
    /// <exception cref="QdrantConfigurationException">An explicit mode cannot be honoured; the message says what to set.</exception>
    public static async Task<QdrantReference> AddQdrantFromConfigurationAsync(
        this IDistributedApplicationBuilder builder, string name = "qdrant", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var configuration = builder.Configuration;
        var requested = QdrantModeResolver.ParseMode(configuration[ModeKey]);
        var probeTimeout = configuration.GetValue(ProbeTimeoutKey, QdrantModeResolver.DefaultProbeTimeout);
        var runtimes = ConfiguredContainerRuntime(configuration) is { } named
            ? [named]
            : CommandLineContainerRuntimeProbe.DefaultRuntimes;

        QdrantModeDecision decision;
        if (builder.ExecutionContext.IsPublishMode && requested == QdrantMode.Auto)
        {
            // A published app runs the real server; there is no local runtime question to ask.
            decision = new(QdrantMode.Container, "Qdrant:Mode=Auto while publishing: the qdrant/qdrant container");
        }
        else
        {
            var resolver = new QdrantModeResolver(new CommandLineContainerRuntimeProbe(runtimes), TimeProvider.System, probeTimeout, name);
            decision = await resolver.DecideAsync(
                requested,
                configuration.GetConnectionString(name),
                configuration.GetValue(CheckContainerRuntimeKey, true),
                cancellationToken).ConfigureAwait(false);
        }

        return builder.AddQdrant(name, decision);
    }

    internal static QdrantReference AddQdrant(this IDistributedApplicationBuilder builder, string name, QdrantModeDecision decision)
    {
        LogDecisionAtStart(builder, decision);

        var grpcPort = builder.Configuration.GetValue<int?>(GrpcPortKey);
        var httpPort = builder.Configuration.GetValue<int?>(HttpPortKey);

        var qdrant = decision.Mode switch
        {
            QdrantMode.Container => AddContainer(builder, name, decision, grpcPort, httpPort),
            QdrantMode.Emulator => builder.AddQdrantEmulator(name, grpcPort, httpPort),
            QdrantMode.External => AddExternal(builder, name),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision.Mode, "Auto must be decided before adding Qdrant."),
        };

        qdrant.Resource.WithQdrantCommands(qdrant.Resource.Resource);
        return qdrant;
    }

    /// <summary>Marks the resource healthy only when <paramref name="qdrant"/> answers an authenticated call.</summary>
    internal static IResourceBuilder<T> WithAuthenticatedQdrantHealthCheck<T>(
        this IResourceBuilder<T> builder, IResourceWithConnectionString qdrant)
        where T : IResource
    {
        var key = $"{builder.Resource.Name}_qdrant_check";
        // Made by a factory, so the AppHost's container disposes the check's cached client when it stops.
        builder.ApplicationBuilder.Services.AddKeyedSingleton(key, (_, _) => new QdrantAuthenticatedHealthCheck(qdrant.GetConnectionStringAsync));
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(
                key, services => services.GetRequiredKeyedService<QdrantAuthenticatedHealthCheck>(key), failureStatus: null, tags: null, timeout: HealthCheckTimeout));
        return builder.WithHealthCheck(key);
    }

    private static QdrantReference AddContainer(
        IDistributedApplicationBuilder builder, string name, QdrantModeDecision decision, int? grpcPort, int? httpPort)
    {
        // DCP asks ASPIRE_CONTAINER_RUNTIME which CLI to use (docker by default); follow what the probe found.
        if (decision.ContainerRuntime is { } runtime && ConfiguredContainerRuntime(builder.Configuration) is null)
        {
            builder.Configuration[ContainerRuntimeKey] = runtime;
        }

        // The key goes in the model, as in Emulator mode, so the dashboard lists it under the same name either way.
        var apiKey = builder.AddResource(QdrantBuilderExtensions.CreateApiKeyParameter(builder, name));
        // AddQdrant attaches the authenticated health check itself.
        var qdrant = builder.AddQdrant(name, apiKey, grpcPort, httpPort)
            .WithDataVolume();

        return new QdrantReference(QdrantMode.Container, qdrant, qdrant.Resource.HttpConnectionStringExpression, qdrant);
    }

    private static QdrantReference AddExternal(IDistributedApplicationBuilder builder, string name)
    {
        // A connection-string resource over the configured value (rather than a bare parameter) has a lifecycle,
        // so the authenticated health check runs against it and WaitFor means "the external Qdrant answers".
        var configured = builder.AddParameterFromConfiguration($"{name}-external", $"ConnectionStrings:{name}", secret: true);
        var connection = builder.AddConnectionString(name, ReferenceExpression.Create($"{configured.Resource}"));
        connection.WithAuthenticatedQdrantHealthCheck(connection.Resource);

        return new QdrantReference(QdrantMode.External, connection, httpConnectionString: null, server: null);
    }

    /// <summary>The runtime DCP is told to use, in DCP's own order of precedence; null when none is named.</summary>
    private static string? ConfiguredContainerRuntime(IConfiguration configuration) =>
        new[] { configuration["DcpPublisher:ContainerRuntime"], configuration[ContainerRuntimeKey], configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] }
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    private static void LogDecisionAtStart(IDistributedApplicationBuilder builder, QdrantModeDecision decision)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>()
                .CreateLogger("MemoryAspire.Hosting.Qdrant")
                .LogInformation("{QdrantModeDecision}", decision.Reason);
            return Task.CompletedTask;
        });
    }
}
