using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace MemoryService.Mcp;

/// <summary>The JSON the tools read and write: MCP's defaults (camelCase, web numbers), enums as lower-case names.</summary>
internal static class McpJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        // Nulls are written: the output schemas list every property as required.
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
