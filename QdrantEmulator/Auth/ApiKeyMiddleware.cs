using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using QdrantEmulator.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Auth;

/// <summary>
/// Qdrant's API-key check, run before routing as Qdrant's tower layer is, so even an unknown method is refused
/// without a key. Texts and codes are Qdrant's (src/tonic/auth.rs, lib/storage/src/rbac).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, EmulatorSettings settings)
{
    internal const string MissingKey = "Must provide an API key or an Authorization bearer token";
    internal const string InvalidKey = "Invalid API key or JWT";
    internal const string ManageRequired = "Forbidden: Global manage access is required";

    private readonly byte[]? apiKey = ToBytes(settings.ApiKey);
    private readonly byte[]? readOnlyApiKey = ToBytes(settings.ReadOnlyApiKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (!settings.AuthEnabled || !GrpcStatusWriter.IsGrpcRequest(context))
        {
            return next(context);
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (MethodAccess.IsExempt(path))
        {
            return next(context);
        }

        var presented = PresentedKey(context.Request.Headers);
        if (presented is null)
        {
            return GrpcStatusWriter.WriteAsync(context, StatusCode.Unauthenticated, MissingKey);
        }

        if (Matches(apiKey, presented))
        {
            return next(context);
        }

        if (Matches(readOnlyApiKey, presented))
        {
            return MethodAccess.IsReadOnly(path)
                ? next(context)
                : GrpcStatusWriter.WriteAsync(context, StatusCode.PermissionDenied, ManageRequired);
        }

        return GrpcStatusWriter.WriteAsync(context, StatusCode.Unauthenticated, InvalidKey);
    }

    private static byte[]? PresentedKey(IHeaderDictionary headers)
    {
        if (headers.TryGetValue("api-key", out var key) && !string.IsNullOrEmpty(key.ToString()))
        {
            return Encoding.UTF8.GetBytes(key.ToString());
        }

        const string bearer = "Bearer ";
        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith(bearer, StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(authorization[bearer.Length..])
            : null;
    }

    // Fixed-time comparison: a development server still should not leak its key through timing.
    private static bool Matches(byte[]? expected, byte[] presented) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(expected, presented);

    private static byte[]? ToBytes(string? key) => string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
}
