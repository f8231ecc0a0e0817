using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Reliability.Tests.Service;

/// <summary>One request a hostile or careless client might send.</summary>
internal sealed record HostileRequest(string Method, string Path, byte[]? Body, string? ContentType, string Kind)
{
    /// <summary>Whether the request may legitimately succeed: only reads; every write generated here is invalid by construction.</summary>
    public bool ReadOnly => Method == "GET" || Path == "/memories/search";

    public override string ToString() =>
        $"{Kind}: {Method} {Path} [{ContentType}] {(Body is null ? "" : Body.Length > 20_000 ? $"{Body.Length:N0} bytes: {Encoding.UTF8.GetString(Body, 0, 300)}…" : Encoding.UTF8.GetString(Body))}";
}

/// <summary>
/// CsCheck generators of malformed and hostile requests to MemoryService: random JSON, wrong types, huge bodies,
/// unicode edge cases, invalid ids, deep nesting, truncated documents, wrong content types. Every write is invalid by
/// construction (an unknown category written last, so it wins over any earlier duplicate), so none may change data.
/// </summary>
internal static class HostileRequests
{
    private static readonly string[] Fields =
    [
        "content", "category", "scope", "project", "importance", "tags", "metadata", "id", "query", "limit", "minScore",
        "categories", "tagsAny", "tagsAll", "minImportance", "createdAfter", "createdBefore", "memories", "__proto__", "",
    ];

    // Raw JSON string literals, escapes included, so a lone surrogate or NUL reaches the server exactly as written.
    private static readonly string[] EdgeStrings =
    [
        "\"\"", "\"   \\t\\n \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u200b\"", "\"\\u202e gnp.exe\"", "\"\\ufeff\"",
        "\"e\\u0301\\u0301\\u0301\"", "\"🧠💥\"", "\"日本語のメモ\"", "\"../../etc/passwd\"", "\"'; DROP TABLE memories; --\"",
        "\"<script>alert(1)</script>\"", "\"${jndi:ldap://127.0.0.1/x}\"", "\"%00%2e%2e\"", "\"fact\\u0000\"", "\"FACT\"", "\"project\"",
        "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-uuid\"", "\"2026-13-45T99:99:99Z\"", "\"NaN\"", "\"-Infinity\"",
    ];

    private static readonly string[] EdgeNumbers = ["-1", "0", "1.5", "-0", "1e999", "-1e999", "1e-999", "12345678901234567890123", "0.5000000000000000001", "101", "501", "2147483648"];

    private static readonly string[] BadIds =
    [
        "not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "%00", "..%2F..%2Fpool", "%F0%9F%A7%A0", "%E2%80%AE", "%20",
        new string('a', 500), "{00000000-0000-0000-0000-000000000000", "00000000000000000000000000000000000", "null", "-1",
    ];

    private static readonly string[] Categories = ["fact", "preference", "event", "workflow", "context"];

    public static readonly Gen<string> JsonString = Gen.Frequency(
        (4, Gen.OneOf(EdgeStrings)),
        (3, Gen.String.Select(s => JsonSerializer.Serialize(s))),
        (1, Gen.Int[10_001, 12_000].Select(n => "\"" + new string('m', n) + "\"")));

    public static readonly Gen<string> JsonLeaf = Gen.Frequency(
        (1, Gen.OneOf("null", "true", "false")),
        (2, Gen.OneOf(EdgeNumbers)),
        (1, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (4, JsonString));

    public static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, value) => depth >= 3
        ? JsonLeaf
        : Gen.Frequency(
            (4, JsonLeaf),
            (1, value.Array[0, 6].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Gen.OneOf(Fields), value).Array[0, 6].Select(Object))));

    /// <summary>An object that is never a valid memory: its last member is a category that does not exist (or has the wrong type).</summary>
    public static readonly Gen<string> InvalidMemory = Gen.Select(
        Gen.Select(Gen.OneOf(Fields), JsonValue).Array[0, 8],
        Gen.Frequency(
            (3, Gen.OneOf(Categories).Select(c => JsonSerializer.Serialize("not-" + c))),
                        // Not null: in a PATCH, null means "keep", and an empty patch is a valid (if pointless) write.
            (1, Gen.OneOf("1", "[\"fact\"]", "{\"fact\":true}", "\"\"", "\"\\u0000\"", "\"fact\\u0000\""))),
        (members, category) => Object([.. members, ("category", category)]));

    private static readonly Gen<string> DeepNesting = Gen.Select(Gen.Int[65, 20_000], Gen.Bool, (depth, arrays) => arrays
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"content\":", depth)) + "1" + new string('}', depth));

    private static readonly Gen<byte[]> Truncated = InvalidMemory.SelectMany(json => Gen.Int[0, Math.Max(0, json.Length - 1)].Select(cut => Encoding.UTF8.GetBytes(json[..cut])));

    private static readonly Gen<byte[]> NotUtf8 = Gen.Byte.Array[1, 200];

    /// <summary>2–8 MB: a content field far over the 10,000-character limit, or a batch far over 500.</summary>
    private static readonly Gen<byte[]> Huge = Gen.Select(Gen.Int[2, 8], Gen.Bool, (megabytes, oneContent) => oneContent
        ? Encoding.UTF8.GetBytes("{\"content\":\"" + new string('h', megabytes << 20) + "\",\"category\":\"fact\"}")
        : Encoding.UTF8.GetBytes("{\"memories\":[" + string.Join(",", Enumerable.Repeat("{\"content\":\"x\",\"category\":\"nope\"}", megabytes * 30_000)) + "]}"));

    private static readonly Gen<string> BadId = Gen.Frequency(
        (3, Gen.OneOf(BadIds)),
        (1, Gen.String.Select(s => Uri.EscapeDataString(s.Length == 0 ? "x" : s))),
        (2, Gen.Guid.Select(g => g.ToString())));

    private static readonly Gen<string> QueryString = Gen.Select(
        Gen.OneOf("limit", "cursor", "category", "tag", "scope", "project", "minImportance", "createdAfter", "createdBefore", "").Array[0, 5],
        Gen.OneOf("-1", "0", "101", "abc", "1e999", "%00", "%F0%9F", "not-a-cursor", "fact", "FACT", "%E2%80%AE", "2026-13-01", new string('q', 3000)).Array[5],
        (keys, values) => string.Join("&", keys.Select((k, i) => $"{k}={values[i]}")));

    private static readonly Gen<(byte[] Body, string Kind)> WriteBody = Gen.Frequency(
        (10, InvalidMemory.Select(json => (Encoding.UTF8.GetBytes(json), "invalid memory"))),
        (4, JsonValue.Select(json => (Encoding.UTF8.GetBytes(Invalidated(json)), "random JSON"))),
        (2, DeepNesting.Select(json => (Encoding.UTF8.GetBytes(json), "deep nesting"))),
        (2, Truncated.Select(bytes => (bytes, "truncated JSON"))),
        (1, NotUtf8.Select(bytes => (bytes, "not UTF-8"))));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (12, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>("text/plain", "application/xml", "application/json; charset=latin1", null, "multipart/form-data; boundary=x")));

    /// <summary>Requests against the given existing ids (which only invalid writes may target).</summary>
    public static Gen<HostileRequest> Against(IReadOnlyList<Guid> existing)
    {
        var existingId = Gen.Int[0, existing.Count - 1].Select(i => existing[i].ToString());
        return Gen.Frequency(
            (6, Gen.Select(WriteBody, ContentType, (b, t) => new HostileRequest("POST", "/memories", b.Body, t, "create: " + b.Kind))),
            (3, Gen.Select(InvalidMemory.Array[0, 4], Gen.Int[0, 3], ContentType, (items, shape, t) => new HostileRequest("POST", "/memories/batch", Encoding.UTF8.GetBytes(shape switch
            {
                0 => "{\"memories\":[" + string.Join(",", items) + "]}",
                1 => "{\"memories\":" + (items.Length == 0 ? "null" : items[0]) + "}",
                2 => "[" + string.Join(",", items) + "]",
                _ => "{\"memories\":[" + string.Join(",", Enumerable.Repeat("{\"content\":\"ok\",\"category\":\"fact\"}", 501)) + "]}",
            }), t, "batch"))),
            (3, Gen.Select(WriteBody, ContentType, (b, t) => new HostileRequest("POST", "/memories/search", b.Body, t, "search: " + b.Kind))),
            (4, Gen.Select(Gen.Frequency((1, existingId), (1, BadId)), WriteBody, ContentType, (id, b, t) => new HostileRequest("PATCH", $"/memories/{id}", b.Body, t, "patch: " + b.Kind))),
            (2, BadId.Select(id => new HostileRequest("DELETE", $"/memories/{id}", null, null, "delete: bad or unknown id"))),
            (2, BadId.Select(id => new HostileRequest("GET", $"/memories/{id}", null, null, "get: bad or unknown id"))),
            (2, QueryString.Select(q => new HostileRequest("GET", $"/memories?{q}", null, null, "list: hostile query"))),
            (1, QueryString.Select(q => new HostileRequest("GET", $"/memories/count?{q}", null, null, "count: hostile query"))),
            (1, Gen.OneOf("/memories", "/memories/batch").SelectMany(path => Huge.Select(body => new HostileRequest("POST", path, body, "application/json", "huge body")))));
    }

    /// <summary>A random object gets an unknown category last, so that it can never be a valid create or patch.</summary>
    private static string Invalidated(string json) =>
        json.StartsWith('{') ? json[..^1] + (json.Length > 2 ? "," : "") + "\"category\":\"not-a-category\"}" : json;

    private static string Object(IEnumerable<(string Key, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Key) + ":" + m.Value)) + "}";
}
