using System.Data.Common;

namespace PoolWorker.Hosting;

/// <summary>Reads <c>Endpoint=…;Key=…</c>, the connection string Aspire's Qdrant resources give.</summary>
internal static class QdrantConnectionString
{
    public static (Uri Endpoint, string? Key) Parse(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!builder.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri))
        {
            // A bare URL is accepted too, as the pool accepts it.
            if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare))
            {
                return (bare, null);
            }

            throw new FormatException("The Qdrant connection string has no Endpoint=http(s)://host:port.");
        }

        return (uri, builder.TryGetValue("Key", out var key) ? key?.ToString() : null);
    }
}
