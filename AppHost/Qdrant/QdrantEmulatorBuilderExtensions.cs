using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MemoryAspire.Hosting;

/// <summary>
/// Runs the QdrantEmulator project in place of the container, configured through Qdrant's own environment
/// names (the emulator's Kestrel listens where these say and ignores ASPNETCORE_URLS).
/// </summary>
internal static class QdrantEmulatorBuilderExtensions
{
    internal const string DataPathKey = "Qdrant:Emulator:DataPath";
    internal const string GrpcPortEnvironmentVariable = "QDRANT__SERVICE__GRPC_PORT";
    internal const string HttpPortEnvironmentVariable = "QDRANT__SERVICE__HTTP_PORT";
    internal const string HostEnvironmentVariable = "QDRANT__SERVICE__HOST";
    internal const string StoragePathEnvironmentVariable = "QDRANT__STORAGE__STORAGE_PATH";

    /// <summary>
    /// Adds <c>{name}-emulator</c> (the process) and <c>{name}</c> (its connection string, <c>Endpoint={grpc url};Key={key}</c>).
    /// </summary>
    public static QdrantReference AddQdrantEmulator(this IDistributedApplicationBuilder builder, string name, int? grpcPort = null, int? httpPort = null)
    {
        // In the model (unlike the container's key) because the connection-string resource below waits for every
        // parameter it references to start, and only parameters in the model are ever started.
        var apiKey = builder.AddResource(QdrantBuilderExtensions.CreateApiKeyParameter(builder, name)).Resource;
        var dataPath = ResolveDataPath(builder);

        // Not proxied: the orchestrator's proxy would sit between every service and Qdrant, so the pool's sockets, a
        // benchmark's latencies and a restart's broken connections would all be the proxy's. The port is still
        // allocated by the orchestrator (or fixed by Qdrant:GrpcPort / Qdrant:HttpPort) and kept across restarts.
        var emulator = builder.AddProject<Projects.QdrantEmulator>($"{name}-emulator", options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: grpcPort, name: QdrantServerResource.PrimaryEndpointName, env: GrpcPortEnvironmentVariable, isProxied: false)
            .WithEndpoint(QdrantServerResource.PrimaryEndpointName, endpoint => endpoint.Transport = "http2")
            .WithHttpEndpoint(port: httpPort, name: QdrantServerResource.HttpEndpointName, env: HttpPortEnvironmentVariable, isProxied: false)
            // Plain http only: without this the orchestrator prepares a developer certificate for the project and the
            // dashboard shows a red "no trusted certificate" banner on a machine that has none.
            .WithoutHttpsCertificate()
            .WithEnvironment(HostEnvironmentVariable, "127.0.0.1")
            .WithEnvironment(StoragePathEnvironmentVariable, dataPath)
            .WithEnvironment(QdrantBuilderExtensions.ApiKeyEnvironmentVariable, ReferenceExpression.Create($"{apiKey}"))
            .WithUrlForEndpoint(QdrantServerResource.PrimaryEndpointName, url =>
            {
                url.DisplayText = "Qdrant (gRPC)";
                url.DisplayLocation = UrlDisplayLocation.DetailsOnly;
            })
            .WithUrlForEndpoint(QdrantServerResource.HttpEndpointName, url => url.DisplayText = "Qdrant REST (emulator)");

        var grpc = emulator.GetEndpoint(QdrantServerResource.PrimaryEndpointName);
        var http = emulator.GetEndpoint(QdrantServerResource.HttpEndpointName);

        // The connection-string resource starts once the emulator has, and carries the same shape as the container's.
        var connection = builder.AddConnectionString(name, ReferenceExpression.Create($"Endpoint={grpc.Property(EndpointProperty.Url)};Key={apiKey}"))
            .WaitForStart(emulator);
        connection.WithAuthenticatedQdrantHealthCheck(connection.Resource);
        emulator.WithAuthenticatedQdrantHealthCheck(connection.Resource);

        var httpConnectionString = ReferenceExpression.Create($"Endpoint={http.Property(EndpointProperty.Url)};Key={apiKey}");
        return new QdrantReference(QdrantMode.Emulator, connection, httpConnectionString, emulator);
    }

    /// <summary>
    /// The emulator's data folder: <c>Qdrant:Emulator:DataPath</c>, else <c>AppHost/storage/qdrant-emulator</c>,
    /// which survives AppHost restarts and is ignored by git (<c>storage/</c>).
    /// </summary>
    internal static string ResolveDataPath(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[DataPathKey];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.AppHostDirectory, "storage", "qdrant-emulator")
            : Path.Combine(builder.AppHostDirectory, configured);
        return Path.GetFullPath(path);
    }
}
