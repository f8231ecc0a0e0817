using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Writes;

/// <summary>Payload edits; payloads are never mutated in place because readers may hold them.</summary>
internal static class PayloadEdits
{
    public static IReadOnlyDictionary<string, Value> Set(
        IReadOnlyDictionary<string, Value> current, MapField<string, Value> values, string? key, bool overwrite)
    {
        if (key is not null)
        {
            // set_payload with a key merges into the object stored under it (replacing a non-object value).
            var nested = new Struct();
            if (!overwrite && current.TryGetValue(key, out var existing) && existing.KindCase == Value.KindOneofCase.StructValue)
            {
                nested.Fields.Add(existing.StructValue.Fields);
            }

            foreach (var (name, value) in values)
            {
                nested.Fields[name] = value;
            }

            var withKey = new Dictionary<string, Value>(current, StringComparer.Ordinal) { [key] = new Value { StructValue = nested } };
            return withKey;
        }

        var result = overwrite ? new Dictionary<string, Value>(StringComparer.Ordinal) : new Dictionary<string, Value>(current, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>Removes each key; a dotted key (<c>a.b</c>) removes the nested field.</summary>
    public static IReadOnlyDictionary<string, Value> Delete(IReadOnlyDictionary<string, Value> current, IEnumerable<string> keys)
    {
        var result = new Dictionary<string, Value>(current, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!result.Remove(key) && key.Contains('.'))
            {
                RemoveNested(result, key.Split('.'));
            }
        }

        return result;
    }

    private static void RemoveNested(Dictionary<string, Value> payload, string[] path)
    {
        if (!payload.TryGetValue(path[0], out var top) || top.KindCase != Value.KindOneofCase.StructValue)
        {
            return;
        }

        var copy = top.Clone();
        var fields = copy.StructValue.Fields;
        for (var i = 1; i < path.Length - 1; i++)
        {
            if (!fields.TryGetValue(path[i], out var inner) || inner.KindCase != Value.KindOneofCase.StructValue)
            {
                return;
            }

            fields = inner.StructValue.Fields;
        }

        if (fields.Remove(path[^1]))
        {
            payload[path[0]] = copy;
        }
    }
}
