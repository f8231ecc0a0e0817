using Scalar.AspNetCore;

namespace MemoryService.Apis;

internal static class PipelineExtensions
{
    /// <summary>Problem details for every error: thrown ones (MemoryErrors) and bare status codes (404 route, 405).</summary>
    public static WebApplication UseMemoryErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c>; in Development also the Scalar page at <c>/scalar</c>.</summary>
    public static WebApplication MapMemoryOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
