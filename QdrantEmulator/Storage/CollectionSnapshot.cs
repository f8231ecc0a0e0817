using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Storage;

/// <summary>
/// A consistent read view of one collection, taken once per read request.
/// </summary>
internal sealed class CollectionSnapshot
{
    public required string Name { get; init; }

    /// <summary>Vector parameters by name; a collection created with one unnamed vector has a single entry under "".</summary>
    public required IReadOnlyDictionary<string, VectorParams> Vectors { get; init; }

    /// <summary>Every point, sorted by <see cref="PointKey"/> ascending (numeric ids first, then UUIDs).</summary>
    public required IReadOnlyList<StoredPoint> Points { get; init; }

    /// <summary>Point lookup by id.</summary>
    public required IReadOnlyDictionary<PointKey, StoredPoint> ById { get; init; }
}
