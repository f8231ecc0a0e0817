using Qdrant.Client.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Tests.Query;

/// <summary>Builds stored points and snapshots for the pure query tests.</summary>
internal static class TestPoints
{
    public static StoredPoint Point(ulong id, Dictionary<string, Value>? payload = null, float[]? vector = null, ulong version = 1) =>
        Point(PointKey.FromNum(id), payload, vector, version);

    public static StoredPoint Point(PointKey id, Dictionary<string, Value>? payload = null, float[]? vector = null, ulong version = 1) => new()
    {
        Id = id,
        Payload = payload ?? [],
        Vectors = vector is null ? new Dictionary<string, float[]>() : new Dictionary<string, float[]> { [string.Empty] = vector },
        Version = version,
    };

    public static StoredPoint WithPayload(string json) => Point(1, Parse(json));

    public static CollectionSnapshot Snapshot(Distance distance, int size, IEnumerable<StoredPoint> points)
    {
        var prepared = points
            .Select(p => new StoredPoint
            {
                Id = p.Id,
                Payload = p.Payload,
                Version = p.Version,
                Vectors = p.Vectors.ToDictionary(kv => kv.Key, kv => Distances.PrepareForStorage(distance, kv.Value)),
            })
            .OrderBy(p => p.Id)
            .ToList();
        return new CollectionSnapshot
        {
            Name = "test",
            Vectors = new Dictionary<string, VectorParams> { [string.Empty] = new() { Size = (ulong)size, Distance = distance } },
            Points = prepared,
            ById = prepared.ToDictionary(p => p.Id),
        };
    }

    /// <summary>A payload from JSON text; integers stay integers and numbers with a point or exponent become doubles.</summary>
    public static Dictionary<string, Value> Parse(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value));
    }

    private static Value ToValue(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null => new Value { NullValue = NullValue.NullValue },
        System.Text.Json.JsonValueKind.True => new Value { BoolValue = true },
        System.Text.Json.JsonValueKind.False => new Value { BoolValue = false },
        System.Text.Json.JsonValueKind.String => new Value { StringValue = element.GetString() },
        System.Text.Json.JsonValueKind.Number when element.TryGetInt64(out var integer) && !element.GetRawText().Contains('.')
            => new Value { IntegerValue = integer },
        System.Text.Json.JsonValueKind.Number => new Value { DoubleValue = element.GetDouble() },
        System.Text.Json.JsonValueKind.Array => new Value { ListValue = new ListValue { Values = { element.EnumerateArray().Select(ToValue) } } },
        _ => new Value { StructValue = new Struct { Fields = { element.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value)) } } },
    };
}
