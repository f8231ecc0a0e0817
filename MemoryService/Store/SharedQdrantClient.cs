using System.Data.Common;
using MemoryService.Extensions;
using Qdrant.Client;

namespace MemoryService.Store;

/// <summary>The one QdrantClient used when <c>Memory:UsePool=false</c>, read from the same connection string as the pool.</summary>
internal static class SharedQdrantClient
{
    public static QdrantClient Create(IConfiguration configuration, MemoryOptions options, ILoggerFactory? loggerFactory)
    {
        var name = MemoryOptions.ConnectionName;
        var connectionString = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"MemoryService has no Qdrant connection string: set 'ConnectionStrings:{name}' (for example 'Endpoint=http://localhost:6334;Key=...').");
        }

        var (endpoint, key) = Parse(connectionString, name);
        return new QdrantClient(endpoint, key, options.QdrantCallTimeout, loggerFactory);
    }

    /// <summary>
    /// <c>Endpoint=http://host:port;Key=...</c> (the official integration's form) or a bare http(s) URI. The message on
    /// failure names the setting, never the key.
    /// </summary>
    internal static (Uri Endpoint, string? Key) Parse(string connectionString, string name)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare) && (bare.Scheme == Uri.UriSchemeHttp || bare.Scheme == Uri.UriSchemeHttps))
        {
            return (bare, null);
        }

        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Its message quotes nothing secret, but neither does it help: say what was expected.
        }

        if (parts.TryGetValue("Endpoint", out var endpointValue)
            && Uri.TryCreate(endpointValue?.ToString(), UriKind.Absolute, out var endpoint)
            && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps))
        {
            return (endpoint, parts.TryGetValue("Key", out var key) ? key?.ToString() : null);
        }

        throw new InvalidOperationException(
            $"'ConnectionStrings:{name}' has no usable Endpoint: expected 'Endpoint=http://host:port;Key=...' or an http(s) URI.");
    }
}
