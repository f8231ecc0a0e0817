using System.Security.Cryptography;
using System.Text;
using MemoryService.Extensions;
using Microsoft.Extensions.Options;

namespace MemoryService.Apis;

/// <summary>
/// When <c>Memory:ApiKey</c> is set, every request except health and the OpenAPI page must carry it, as
/// <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>. The key is never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<MemoryOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    // Hashing first makes the comparison's time independent of the length of either key too.
    private readonly byte[]? _expected = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Hash(options.Value.ApiKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (_expected is null || IsExempt(context.Request.Path) || Presented(context.Request) is { } key && Matches(key))
        {
            return next(context);
        }

        // No detail: a caller without the key learns nothing about why.
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }

    internal static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive")
        || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/scalar");

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[HeaderName] is { Count: > 0 } apiKey)
        {
            return apiKey[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private bool Matches(string key) => CryptographicOperations.FixedTimeEquals(Hash(key), _expected);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
