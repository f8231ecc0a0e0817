using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// What a condition is checked against: a whole point, or one object inside a nested-condition array
/// (where, as in Qdrant, has_id and has_vector never match).
/// </summary>
internal readonly struct PayloadScope
{
    private readonly IReadOnlyDictionary<string, Value>? _payload;
    private readonly Struct? _object;

    private PayloadScope(StoredPoint? point, IReadOnlyDictionary<string, Value>? payload, Struct? nested)
    {
        Point = point;
        _payload = payload;
        _object = nested;
    }

    /// <summary>The point, or null inside a nested object.</summary>
    public StoredPoint? Point { get; }

    public static PayloadScope Of(StoredPoint point) => new(point, point.Payload, null);

    public static PayloadScope Of(Struct nested) => new(null, null, nested);

    /// <summary>The value of a top-level key, for the common one-segment path.</summary>
    public bool TryGetTopLevel(string key, out Value value)
    {
        if (_payload is not null)
        {
            return _payload.TryGetValue(key, out value!);
        }

        return _object!.Fields.TryGetValue(key, out value!);
    }

    public void CollectValues(JsonPath path, List<Value> into)
    {
        if (_payload is not null)
        {
            path.CollectValues(_payload, into);
        }
        else
        {
            path.CollectValues(_object!, into);
        }
    }
}
