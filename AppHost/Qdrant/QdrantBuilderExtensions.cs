using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MemoryAspire.Hosting;

/// <summary>
/// Adds a Qdrant container to the application model, with the shape of the official
/// <c>Aspire.Hosting.Qdrant</c> integration: same endpoints, key parameter, volume path and connection strings.
/// </summary>
public static class QdrantBuilderExtensions
{
    internal const int GrpcTargetPort = 6334;
    internal const int HttpTargetPort = 6333;
    internal const string ApiKeyEnvironmentVariable = "QDRANT__SERVICE__API_KEY";
    internal const string StoragePath = "/qdrant/storage";
    private const string EnableStaticContentEnvironmentVariable = "QDRANT__SERVICE__ENABLE_STATIC_CONTENT";

    /// <summary>
    /// Adds a Qdrant server container with a health check (<c>{name}_qdrant_check</c>) that passes only when an
    /// authenticated call succeeds. The official integration registers one too, but over Qdrant's HealthCheck RPC,
    /// which skips the key.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, also the connection string name.</param>
    /// <param name="apiKey">The API key parameter; when null a secret <c>{name}-Key</c> is generated (and kept in user secrets).</param>
    /// <param name="grpcPort">The host port of the gRPC endpoint; random when null.</param>
    /// <param name="httpPort">The host port of the REST endpoint; random when null.</param>
    public static IResourceBuilder<QdrantServerResource> AddQdrant(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ParameterResource>? apiKey = null,
        int? grpcPort = null,
        int? httpPort = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var apiKeyParameter = apiKey?.Resource ?? CreateApiKeyParameter(builder, name);
        var qdrant = new QdrantServerResource(name, apiKeyParameter);

        var resource = builder.AddResource(qdrant)
            .WithImage(QdrantContainerImageTags.Image, QdrantContainerImageTags.Tag)
            .WithImageRegistry(QdrantContainerImageTags.Registry)
            // Not proxied, as the emulator: the pool's connections and the benchmark's figures are Qdrant's own.
            .WithHttpEndpoint(port: grpcPort, targetPort: GrpcTargetPort, name: QdrantServerResource.PrimaryEndpointName, isProxied: false)
            .WithEndpoint(QdrantServerResource.PrimaryEndpointName, endpoint => endpoint.Transport = "http2")
            .WithHttpEndpoint(port: httpPort, targetPort: HttpTargetPort, name: QdrantServerResource.HttpEndpointName, isProxied: false)
            .WithUrlForEndpoint(QdrantServerResource.PrimaryEndpointName, url =>
            {
                url.DisplayText = "Qdrant (gRPC)";
                url.DisplayLocation = UrlDisplayLocation.DetailsOnly;
            })
            .WithUrlForEndpoint(QdrantServerResource.HttpEndpointName, url => url.DisplayText = "Qdrant (HTTP)")
            .WithUrlForEndpoint(QdrantServerResource.HttpEndpointName, endpoint => new ResourceUrlAnnotation
            {
                Url = "/dashboard",
                DisplayText = "Qdrant Dashboard",
            })
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables[ApiKeyEnvironmentVariable] = qdrant.ApiKeyParameter;

                // A published deployment should not serve Qdrant's web UI.
                if (builder.ExecutionContext.IsPublishMode)
                {
                    context.EnvironmentVariables[EnableStaticContentEnvironmentVariable] = "0";
                }
            });

        // Here rather than in the caller, so WaitFor on a plain AddQdrant also means "answers with the key".
        return resource.WithAuthenticatedQdrantHealthCheck(qdrant);
    }

    /// <summary>Keeps Qdrant's data in a named volume at <c>/qdrant/storage</c>, so it survives container restarts.</summary>
    public static IResourceBuilder<QdrantServerResource> WithDataVolume(
        this IResourceBuilder<QdrantServerResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), StoragePath, isReadOnly);
    }

    /// <summary>Keeps Qdrant's data in a host folder mounted at <c>/qdrant/storage</c>.</summary>
    public static IResourceBuilder<QdrantServerResource> WithDataBindMount(
        this IResourceBuilder<QdrantServerResource> builder, string source, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return builder.WithBindMount(source, StoragePath, isReadOnly);
    }

    /// <summary>
    /// References the Qdrant server: <c>ConnectionStrings__{name}</c> (gRPC) and <c>ConnectionStrings__{name}_http</c> (REST).
    /// </summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, IResourceBuilder<QdrantServerResource> qdrant)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(qdrant);

        return builder
            .WithReference((IResourceBuilder<IResourceWithConnectionString>)qdrant)
            .WithEnvironment(
                $"ConnectionStrings__{qdrant.Resource.Name}_{QdrantServerResource.HttpEndpointName}",
                qdrant.Resource.HttpConnectionStringExpression);
    }

    /// <summary>The generated key: letters and digits only, since it travels in a connection string and a header.</summary>
    internal static ParameterResource CreateApiKeyParameter(IDistributedApplicationBuilder builder, string name) =>
        ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-Key", special: false);
}
