using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryService.Apis;

internal static class HealthEndpoints
{
    /// <summary>
    /// <c>/health</c> (every check: the pool's, the collection's readiness) and <c>/alive</c> (the process only), in
    /// every environment: orchestrators probe them without the API key. The JSON carries each check's status and
    /// description, which name collections and Qdrant's error texts but never a key.
    /// </summary>
    public static WebApplication MapMemoryHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath, new HealthCheckOptions { ResponseWriter = WriteAsync });
        app.MapHealthChecks(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
            ResponseWriter = WriteAsync,
        });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDuration = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description,
                    duration = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
