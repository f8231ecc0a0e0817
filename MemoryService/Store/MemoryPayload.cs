using Google.Protobuf.Collections;
using MemoryService.Memories;
using Qdrant.Client.Grpc;
using Memory = MemoryService.Memories.Memory;

namespace MemoryService.Store;

/// <summary>
/// How a memory is laid out in a Qdrant point: the id is the point id, the rest is payload. Times are integers
/// (Unix milliseconds, UTC) so range filters are exact and need no datetime parsing.
/// </summary>
internal static class MemoryPayload
{
    public const string Content = "content";
    public const string Category = "category";
    public const string Scope = "scope";
    public const string Project = "project";
    public const string Importance = "importance";
    public const string Tags = "tags";
    public const string Metadata = "metadata";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";

    /// <summary>The payload indexes the collection gets: every field a filter uses.</summary>
    public static readonly IReadOnlyList<(string Field, PayloadSchemaType Type)> Indexes =
    [
        (Category, PayloadSchemaType.Keyword),
        (Scope, PayloadSchemaType.Keyword),
        (Project, PayloadSchemaType.Keyword),
        (Tags, PayloadSchemaType.Keyword),
        (Importance, PayloadSchemaType.Float),
        (CreatedAt, PayloadSchemaType.Integer),
    ];

    public static Dictionary<string, Value> From(Memory memory)
    {
        var payload = new Dictionary<string, Value>
        {
            [Content] = memory.Content,
            [Category] = memory.Category.ToName(),
            [Scope] = memory.Scope.ToName(),
            [Importance] = memory.Importance,
            [Tags] = List(memory.Tags),
            [Metadata] = Struct(memory.Metadata),
            [CreatedAt] = memory.CreatedAt.ToUnixTimeMilliseconds(),
            [UpdatedAt] = memory.UpdatedAt.ToUnixTimeMilliseconds(),
        };
        if (memory.Project is not null)
        {
            payload[Project] = memory.Project;
        }

        return payload;
    }

    public static PointStruct ToPoint(Memory memory, ReadOnlyMemory<float> vector)
    {
        var point = new PointStruct { Id = memory.Id, Vectors = vector.ToArray() };
        point.Payload.Add(From(memory));
        return point;
    }

    /// <summary>Reads a memory back; a point this service did not write (fields missing) reads with defaults.</summary>
    public static Memory ToMemory(PointId id, MapField<string, Value> payload)
    {
        MemoryNames.TryParseCategory(String(payload, Category), out var category);
        MemoryNames.TryParseScope(String(payload, Scope), out var scope);
        return new Memory(
            Guid.Parse(id.Uuid),
            String(payload, Content) ?? "",
            category,
            scope,
            String(payload, Project),
            payload.TryGetValue(Importance, out var importance) ? Number(importance) : MemoryRules.DefaultImportance,
            payload.TryGetValue(Tags, out var tags) && tags.KindCase == Value.KindOneofCase.ListValue
                ? tags.ListValue.Values.Select(v => v.StringValue).ToArray()
                : [],
            payload.TryGetValue(Metadata, out var metadata) && metadata.KindCase == Value.KindOneofCase.StructValue
                ? metadata.StructValue.Fields.ToDictionary(f => f.Key, f => f.Value.StringValue, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            Time(payload, CreatedAt),
            Time(payload, UpdatedAt));
    }

    /// <summary>Times are kept to the millisecond, as stored, so what the API returns equals what it reads back.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static Value List(IReadOnlyList<string> items)
    {
        var list = new ListValue();
        list.Values.AddRange(items.Select(item => new Value { StringValue = item }));
        return new Value { ListValue = list };
    }

    private static Value Struct(IReadOnlyDictionary<string, string> entries)
    {
        var value = new Struct();
        foreach (var (key, text) in entries)
        {
            value.Fields[key] = text;
        }

        return new Value { StructValue = value };
    }

    private static string? String(MapField<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    private static double Number(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.DoubleValue => value.DoubleValue,
        Value.KindOneofCase.IntegerValue => value.IntegerValue,
        _ => MemoryRules.DefaultImportance,
    };

    private static DateTimeOffset Time(MapField<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.IntegerValue
            ? DateTimeOffset.FromUnixTimeMilliseconds(value.IntegerValue)
            : DateTimeOffset.UnixEpoch;
}
