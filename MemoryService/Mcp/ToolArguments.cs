using System.Text.Json;

namespace MemoryService.Mcp;

/// <summary>
/// Checks a call's arguments against the tool's own input schema before the SDK binds them, so a wrong type, a
/// missing argument or a misspelt name comes back as a sentence naming the argument. (Bound by the SDK, a wrong type
/// surfaces as "The JSON value could not be converted to System.Nullable`1[System.Double]. Path: $", which names
/// nothing; a missing one as a bare "An error occurred".) Only what the generated schemas use is checked: type,
/// items, required.
/// </summary>
internal static class ToolArguments
{
    public static string? FindProblems(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        var problems = new List<string>();
        var properties = inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var names = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToList() : [];

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var schema))
            {
                problems.Add($"'{name}' is not an argument of this tool; it takes {string.Join(", ", names)}.");
            }
            else if (!Matches(schema, value))
            {
                problems.Add($"{name}: must be {Describe(schema)}; it is {DescribeValue(value)}.");
            }
        }

        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    problems.Add($"{name}: is required ({Describe(properties.GetProperty(name))}).");
                }
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static bool Matches(JsonElement schema, JsonElement value)
    {
        var types = Types(schema);
        if (types.Count == 0)
        {
            return true;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => types.Contains("null"),
            JsonValueKind.String => types.Contains("string"),
            JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
            JsonValueKind.Number => types.Contains("number") || (types.Contains("integer") && value.TryGetInt32(out _)),
            JsonValueKind.Object => types.Contains("object"),
            JsonValueKind.Array => types.Contains("array")
                && (!schema.TryGetProperty("items", out var items) || value.EnumerateArray().All(item => Matches(items, item))),
            _ => false,
        };
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [];

    private static string Describe(JsonElement schema)
    {
        var types = Types(schema).Where(t => t != "null").ToList();
        var nullable = Types(schema).Contains("null");
        var described = types switch
        {
            ["array"] => schema.TryGetProperty("items", out var items) ? $"an array of {Plural(Describe(items))}" : "an array",
            [var single] => Article(single),
            _ => string.Join(" or ", types.Select(Article)),
        };
        return nullable ? described + " (or omitted)" : described;
    }

    private static string DescribeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array holding " + string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind.ToString().ToLowerInvariant()).Distinct()),
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer",
        "array" => "an array",
        "object" => "an object",
        _ => "a " + type,
    };

    private static string Plural(string described) =>
        described.Replace(" (or omitted)", "", StringComparison.Ordinal).Replace("a ", "", StringComparison.Ordinal).Replace("an ", "", StringComparison.Ordinal) + "s";

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
