using Aspire.Hosting.ApplicationModel;

namespace MemoryAspire.Hosting;

/// <summary>
/// A Qdrant server run from the <c>qdrant/qdrant</c> container image, shaped like the official
/// <c>Aspire.Hosting.Qdrant</c> resource (own namespace, so both packages can sit side by side).
/// </summary>
public sealed class QdrantServerResource : ContainerResource, IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "grpc";
    internal const string HttpEndpointName = "http";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _httpEndpoint;

    public QdrantServerResource(string name, ParameterResource apiKey) : base(name)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        ApiKeyParameter = apiKey;
    }

    /// <summary>The API key every call but HealthCheck must carry.</summary>
    public ParameterResource ApiKeyParameter { get; }

    /// <summary>The gRPC endpoint (container port 6334), which Qdrant.Client uses.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The REST endpoint (container port 6333), which also serves Qdrant's web dashboard.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary><c>Endpoint={grpc url};Key={api key}</c>, the shape Aspire's Qdrant client integration parses.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)};Key={ApiKeyParameter}");

    /// <summary>The same shape over the REST endpoint, given to references as <c>ConnectionStrings__{name}_http</c>.</summary>
    public ReferenceExpression HttpConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={HttpEndpoint.Property(EndpointProperty.Url)};Key={ApiKeyParameter}");
}
