using System.Data.Common;

namespace MemoryAspire.Hosting;

/// <summary>Reads <c>Endpoint=...;Key=...</c> (or a bare URI), as Aspire's Qdrant client integration does.</summary>
internal readonly record struct QdrantConnectionString(Uri Endpoint, string? Key)
{
    public static QdrantConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare))
        {
            return new(bare, null);
        }

        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!parts.TryGetValue("Endpoint", out var endpoint)
            || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri))
        {
            throw new FormatException(
                "The Qdrant connection string has no absolute 'Endpoint' (expected Endpoint=http://host:6334;Key=...).");
        }

        return new(uri, parts.TryGetValue("Key", out var key) ? key?.ToString() : null);
    }
}
