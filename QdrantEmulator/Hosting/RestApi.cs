using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace QdrantEmulator.Hosting;

/// <summary>
/// The REST port answers only what orchestrators and probes ask of Qdrant: its version document and the Kubernetes
/// health endpoints, with Qdrant's bodies (src/actix/api/service_api.rs). All four are exempt from auth in Qdrant too.
/// </summary>
internal static class RestApi
{
    public static IEndpointRouteBuilder MapQdrantRestApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Json(new VersionInfo(HealthHandlers.Title, HealthHandlers.Version), RestJsonContext.Default.VersionInfo));
        endpoints.MapGet("/healthz", () => Results.Text("healthz check passed", "text/plain"));
        endpoints.MapGet("/livez", () => Results.Text("healthz check passed", "text/plain"));
        endpoints.MapGet("/readyz", () => Results.Text("all shards are ready", "text/plain"));
        return endpoints;
    }
}

internal sealed record VersionInfo(
    [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version);

[System.Text.Json.Serialization.JsonSerializable(typeof(VersionInfo))]
internal sealed partial class RestJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
