using System.ComponentModel.DataAnnotations;

namespace MemoryService.Extensions;

/// <summary>The <c>Memory</c> configuration section. Every default is the recommended setting.</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    /// <summary>The Qdrant collection holding the memories. Default <c>memories</c>.</summary>
    [Required]
    [RegularExpression(@"^[^<>:""/\\|?*\x00-\x1F]{1,255}$", ErrorMessage = "Memory:Collection must be 1 to 255 characters without < > : \" / \\ | ? * or control characters.")]
    public string Collection { get; set; } = "memories";

    /// <summary>
    /// True (default): every Qdrant call goes through the QdrantPool connection pool. False: no pool is registered and
    /// the calls share one <c>QdrantClient</c> built from the same connection string, as Aspire's own Qdrant client
    /// integration would register it.
    /// </summary>
    public bool UsePool { get; set; } = true;

    /// <summary>
    /// When set, every endpoint except <c>/health</c>, <c>/alive</c> and the OpenAPI page requires it, as
    /// <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>. Default: none (open).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The deadline each Qdrant call carries (gRPC <c>grpc-timeout</c>). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Memory:QdrantCallTimeout must be between 1 ms and 1 hour.")]
    public TimeSpan QdrantCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The connection string's name (<c>ConnectionStrings:qdrant</c>).</summary>
    public const string ConnectionName = "qdrant";
}
