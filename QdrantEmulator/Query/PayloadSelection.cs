using Grpc.Core;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// with_payload as Qdrant applies it: all, none, only the included paths, or all but the excluded paths.
/// A path pattern keeps (include) or drops (exclude) the part of the payload it leads to.
/// </summary>
internal sealed class PayloadSelection
{
    private readonly bool _enabled;
    private readonly JsonPath[]? _include;
    private readonly JsonPath[]? _exclude;

    private PayloadSelection(bool enabled, JsonPath[]? include, JsonPath[]? exclude)
    {
        _enabled = enabled;
        _include = include;
        _exclude = exclude;
    }

    public static PayloadSelection None { get; } = new(false, null, null);

    public static PayloadSelection All { get; } = new(true, null, null);

    /// <summary>Converts the selector; <paramref name="whenUnset"/> applies when the request carries none.</summary>
    public static PayloadSelection From(WithPayloadSelector? selector, bool whenUnset) => selector?.SelectorOptionsCase switch
    {
        null => whenUnset ? All : None,
        WithPayloadSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? All : None,
        WithPayloadSelector.SelectorOptionsOneofCase.Include => new(true, [.. selector.Include.Fields.Select(JsonPath.Parse)], null),
        WithPayloadSelector.SelectorOptionsOneofCase.Exclude => new(true, null, [.. selector.Exclude.Fields.Select(JsonPath.Parse)]),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "No PayloadSelector")),
    };

    /// <summary>Copies the selected payload into a response map (empty when payload is off).</summary>
    public void CopyInto(IReadOnlyDictionary<string, Value> payload, MapField<string, Value> target)
    {
        if (!_enabled)
        {
            return;
        }

        var path = new List<JsonPathItem>();
        foreach (var (key, value) in payload)
        {
            if (!Keep(key, path))
            {
                continue;
            }

            target.Add(key, NeedsRebuild(key) ? Rebuild(key, path, value) : value);
        }
    }

    // Stored values are immutable, so a value kept whole is shared rather than cloned.
    private bool NeedsRebuild(string firstKey) =>
        (_include is not null && _include.Any(p => p.FirstKey == firstKey && p.Rest.Count > 0)
            && !_include.Any(p => p.FirstKey == firstKey && p.Rest.Count == 0))
        || (_exclude is not null && _exclude.Any(p => p.FirstKey == firstKey && p.Rest.Count > 0));

    private Value Rebuild(string firstKey, List<JsonPathItem> path, Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.ListValue:
            {
                var list = new ListValue();
                path.Add(JsonPathItem.Wildcard);
                foreach (var element in value.ListValue.Values)
                {
                    if (Keep(firstKey, path))
                    {
                        list.Values.Add(Rebuild(firstKey, path, element));
                    }
                }

                path.RemoveAt(path.Count - 1);
                return new Value { ListValue = list };
            }

            case Value.KindOneofCase.StructValue:
            {
                var obj = new Struct();
                foreach (var (key, child) in value.StructValue.Fields)
                {
                    path.Add(JsonPathItem.Key(key));
                    if (Keep(firstKey, path))
                    {
                        obj.Fields.Add(key, Rebuild(firstKey, path, child));
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return new Value { StructValue = obj };
            }

            default:
                return value;
        }
    }

    private bool Keep(string firstKey, List<JsonPathItem> rest)
    {
        if (_include is not null)
        {
            // Kept when the pattern and the path agree on every segment both have (either may be the longer).
            return _include.Any(p => p.FirstKey == firstKey && SharedSegmentsEqual(p.Rest, rest));
        }

        if (_exclude is not null)
        {
            // Dropped when the pattern leads to this path or one of its ancestors.
            return !_exclude.Any(p => p.FirstKey == firstKey && rest.Count >= p.Rest.Count && SharedSegmentsEqual(p.Rest, rest));
        }

        return true;
    }

    private static bool SharedSegmentsEqual(IReadOnlyList<JsonPathItem> a, List<JsonPathItem> b)
    {
        var shared = Math.Min(a.Count, b.Count);
        for (var i = 0; i < shared; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
