using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// A payload key path as Qdrant parses it: <c>key</c>, then any of <c>.key</c>, <c>."quoted key"</c>,
/// <c>[index]</c> and <c>[]</c> (every element). A plain key is letters, digits, <c>_</c> and <c>-</c>.
/// </summary>
internal sealed class JsonPath
{
    private JsonPath(string firstKey, IReadOnlyList<JsonPathItem> rest)
    {
        FirstKey = firstKey;
        Rest = rest;
    }

    public string FirstKey { get; }

    public IReadOnlyList<JsonPathItem> Rest { get; }

    /// <summary>Parses a key; throws RpcException(InvalidArgument) with Qdrant's text <c>Invalid json path: 'KEY'</c>.</summary>
    public static JsonPath Parse(string text) =>
        TryParse(text, out var path)
            ? path
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"Invalid json path: '{text}'"));

    public static bool TryParse(string text, out JsonPath path)
    {
        path = null!;
        var position = 0;
        if (!TryReadKey(text, ref position, out var firstKey))
        {
            return false;
        }

        var rest = new List<JsonPathItem>();
        while (position < text.Length)
        {
            if (text[position] == '.')
            {
                position++;
                if (!TryReadKey(text, ref position, out var key))
                {
                    return false;
                }

                rest.Add(JsonPathItem.Key(key));
            }
            else if (text[position] == '[')
            {
                var close = text.IndexOf(']', position);
                if (close < 0)
                {
                    return false;
                }

                var inside = text.AsSpan(position + 1, close - position - 1);
                if (inside.IsEmpty)
                {
                    rest.Add(JsonPathItem.Wildcard);
                }
                else if (IsAsciiDigits(inside) && int.TryParse(inside, out var index))
                {
                    rest.Add(JsonPathItem.Index(index));
                }
                else
                {
                    return false;
                }

                position = close + 1;
            }
            else
            {
                return false;
            }
        }

        path = new JsonPath(firstKey, rest);
        return true;
    }

    /// <summary>
    /// Every value the path reaches. Intermediate arrays are entered only through <c>[]</c> or <c>[n]</c>;
    /// a leaf array is returned whole (the condition then looks at its elements).
    /// </summary>
    public void CollectValues(IReadOnlyDictionary<string, Value> payload, List<Value> into)
    {
        if (payload.TryGetValue(FirstKey, out var value))
        {
            Collect(value, 0, into);
        }
    }

    /// <summary>The same walk starting inside a nested object (used by nested conditions).</summary>
    public void CollectValues(Struct payload, List<Value> into)
    {
        if (payload.Fields.TryGetValue(FirstKey, out var value))
        {
            Collect(value, 0, into);
        }
    }

    private void Collect(Value value, int depth, List<Value> into)
    {
        if (depth == Rest.Count)
        {
            into.Add(value);
            return;
        }

        var item = Rest[depth];
        switch (item.Kind)
        {
            case JsonPathItemKind.Key when value.KindCase == Value.KindOneofCase.StructValue:
                if (value.StructValue.Fields.TryGetValue(item.Name!, out var child))
                {
                    Collect(child, depth + 1, into);
                }

                break;
            case JsonPathItemKind.Index when value.KindCase == Value.KindOneofCase.ListValue:
                if (item.Position < value.ListValue.Values.Count)
                {
                    Collect(value.ListValue.Values[item.Position], depth + 1, into);
                }

                break;
            case JsonPathItemKind.Wildcard when value.KindCase == Value.KindOneofCase.ListValue:
                foreach (var element in value.ListValue.Values)
                {
                    Collect(element, depth + 1, into);
                }

                break;
        }
    }

    /// <summary>The path with <c>[]</c> appended unless it already ends so (Qdrant's nested-condition key).</summary>
    public JsonPath WithArraySuffix() =>
        Rest.Count > 0 && Rest[^1].Kind == JsonPathItemKind.Wildcard
            ? this
            : new JsonPath(FirstKey, [.. Rest, JsonPathItem.Wildcard]);

    private static bool TryReadKey(string text, ref int position, out string key)
    {
        key = string.Empty;
        if (position >= text.Length)
        {
            return false;
        }

        if (text[position] == '"')
        {
            // Quoted keys may hold anything but a quote or a backslash: Qdrant has no escapes.
            var start = position + 1;
            var end = start;
            while (end < text.Length && text[end] != '"' && text[end] != '\\')
            {
                end++;
            }

            if (end >= text.Length || text[end] != '"')
            {
                return false;
            }

            key = text[start..end];
            position = end + 1;
            return true;
        }

        var begin = position;
        while (position < text.Length && IsPlainKeyChar(text[position]))
        {
            position++;
        }

        if (position == begin)
        {
            return false;
        }

        key = text[begin..position];
        return true;
    }

    private static bool IsPlainKeyChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '-';

    private static bool IsAsciiDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

internal enum JsonPathItemKind
{
    Key,
    Index,
    Wildcard,
}

internal readonly record struct JsonPathItem(JsonPathItemKind Kind, string? Name, int Position)
{
    public static JsonPathItem Wildcard { get; } = new(JsonPathItemKind.Wildcard, null, 0);

    public static JsonPathItem Key(string name) => new(JsonPathItemKind.Key, name, 0);

    public static JsonPathItem Index(int position) => new(JsonPathItemKind.Index, null, position);
}
