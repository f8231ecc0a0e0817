using System.Text.Json;
using MemoryService.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MemoryService.Tests.Mcp;

/// <summary>
/// The SDK's own <see cref="McpClient"/> on its streamable-HTTP transport, talking to the service's <c>/mcp</c> with the
/// API key, exactly as Claude Code or VS Code would (the HTTP handler is the test server's instead of a socket).
/// </summary>
internal static class McpSession
{
    public static async Task<McpClient> ConnectAsync(MemoryServiceFixture fixture, string? apiKey = MemoryServiceFixture.ApiKey)
    {
        var http = new HttpClient(fixture.Factory.Server.CreateHandler()) { BaseAddress = fixture.Factory.Server.BaseAddress };
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(fixture.Factory.Server.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "memory-service-tests",
        };
        if (apiKey is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey };
        }

        return await McpClient.CreateAsync(new HttpClientTransport(options, http, ownsHttpClient: true));
    }

    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        Assert.NotNull(result.StructuredContent);
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    public static async Task<string> CallFailingAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError, $"{tool} should have failed but answered: {Text(result)}");
        return Text(result);
    }

    public static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
