using ModelContextProtocol.Protocol;

namespace MemoryService.Mcp;

internal static class MemoryMcpExtensions
{
    /// <summary>Where the MCP endpoint is mapped (streamable HTTP). The API key middleware covers it like any other path.</summary>
    public const string Route = "/mcp";

    /// <summary>The MCP server: the memory tools over streamable HTTP, with tool errors that say what to fix.</summary>
    public static IHostApplicationBuilder AddMemoryMcp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services
            .AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation { Name = "memory-service", Title = "MemoryAspire long-term memory", Version = "1.0.0" };
                server.ServerInstructions = ServerInstructions;
            })
            // Stateless: every request stands alone (the tools need no session, no server-to-client requests), so
            // nothing is kept per client and any replica can answer.
            .WithHttpTransport(http => http.Stateless = true)
            .WithTools<MemoryTools>(McpJson.Options)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolErrors.Filter));

        return builder;
    }

    /// <summary>Maps the MCP endpoint at <see cref="Route"/>.</summary>
    public static IEndpointConventionBuilder MapMemoryMcp(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapMcp(Route);
    }

    private const string ServerInstructions =
        "Long-term memory for the user you are working with. Store durable things worth recalling in a later " +
        "conversation (preferences, facts, events, workflows, project context) with store_memory, one idea per memory. " +
        "Before answering questions that may depend on what you were told earlier, call retrieve_memories with a " +
        "natural-language query; results are ranked by meaning. Use list_memories to browse by filters and " +
        "delete_memory to remove something the user wants forgotten or that is no longer true.";
}
