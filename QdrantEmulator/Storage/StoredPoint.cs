using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Storage;

/// <summary>
/// One point as stored. Immutable once published: a write builds a new instance and swaps it in,
/// so readers holding a snapshot never see a half-applied write.
/// </summary>
internal sealed class StoredPoint
{
    public required PointKey Id { get; init; }

    /// <summary>Vectors by name; the unnamed vector is under "". Cosine vectors are stored L2-normalised.</summary>
    public required IReadOnlyDictionary<string, float[]> Vectors { get; init; }

    /// <summary>Top-level payload keys. Never null; empty means no payload.</summary>
    public required IReadOnlyDictionary<string, Value> Payload { get; init; }

    /// <summary>The operation number of the point's last write.</summary>
    public required ulong Version { get; init; }
}
