using System.Collections.Immutable;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Storage;

/// <summary>
/// One collection at one moment. Immutable: every write builds a new instance (persistent collections make that
/// O(log n) per point), so a reader holding one never sees a half-applied write and needs no lock.
/// </summary>
internal sealed class CollectionState
{
    private CollectionSnapshot? snapshot;

    public required string Name { get; init; }

    /// <summary>The collection's parameters, kept in the shape they were created with (updates merged in). Never mutated.</summary>
    public required CreateCollection Definition { get; init; }

    /// <summary>Dense vector parameters by name; "" is the unnamed vector.</summary>
    public required IReadOnlyDictionary<string, VectorParams> Vectors { get; init; }

    public required ImmutableSortedDictionary<PointKey, StoredPoint> Points { get; init; }

    /// <summary>Field indexes asked for with CreateFieldIndex (exact search needs none; reported in CollectionInfo).</summary>
    public required ImmutableSortedDictionary<string, PayloadSchemaInfo> PayloadSchema { get; init; }

    public static CollectionState Create(CreateCollection definition) => new()
    {
        Name = definition.CollectionName,
        Definition = definition,
        Vectors = VectorsOf(definition.VectorsConfig),
        Points = ImmutableSortedDictionary.Create<PointKey, StoredPoint>(),
        PayloadSchema = ImmutableSortedDictionary.Create<string, PayloadSchemaInfo>(StringComparer.Ordinal),
    };

    /// <summary>
    /// The read view. Built once per state on first use, so a search copies the point array only after a write,
    /// never once per request.
    /// </summary>
    public CollectionSnapshot Snapshot() =>
        LazyInitializer.EnsureInitialized(ref snapshot, () => new CollectionSnapshot
        {
            Name = Name,
            Vectors = Vectors,
            Points = Points.Values.ToArray(),
            ById = Points,
        });

    public CollectionState With(
        ImmutableSortedDictionary<PointKey, StoredPoint>? points = null,
        CreateCollection? definition = null,
        ImmutableSortedDictionary<string, PayloadSchemaInfo>? payloadSchema = null) => new()
    {
        Name = Name,
        Definition = definition ?? Definition,
        Vectors = Vectors,
        Points = points ?? Points,
        PayloadSchema = payloadSchema ?? PayloadSchema,
    };

    private static Dictionary<string, VectorParams> VectorsOf(VectorsConfig? config) => config?.ConfigCase switch
    {
        VectorsConfig.ConfigOneofCase.Params => new Dictionary<string, VectorParams>(StringComparer.Ordinal) { [""] = config.Params },
        VectorsConfig.ConfigOneofCase.ParamsMap => new Dictionary<string, VectorParams>(config.ParamsMap.Map, StringComparer.Ordinal),
        _ => new Dictionary<string, VectorParams>(StringComparer.Ordinal),
    };
}
