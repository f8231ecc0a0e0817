using System.Globalization;
using System.Text.Json;
using MemoryService.Memories;
using MemoryService.Store;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MemoryService.Mcp;

/// <summary>
/// Turns what went wrong in a tool call into a tool result with <c>isError</c> and a sentence the model can act on.
/// Left alone, the SDK would answer "An error occurred invoking 'store_memory'." and nothing else.
/// </summary>
internal static class ToolErrors
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var tool = request.Params?.Name ?? "?";
            if (request.MatchedPrimitive is McpServerTool matched
                && ToolArguments.FindProblems(matched.ProtocolTool.InputSchema, request.Params?.Arguments) is { } problems)
            {
                return Result($"Invalid arguments for {tool}; fix these and call it again: {problems}");
            }

            try
            {
                return await next(request, cancellationToken);
            }
            catch (MemoryValidationException error)
            {
                return Result($"Invalid arguments for {tool}; fix these and call it again: {error.Message}");
            }
            catch (MemoryStoreUnavailableException error)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(error.RetryAfter.TotalSeconds));
                return Result($"The memory store is unavailable right now ({error.Message}). Nothing was changed; try again in {seconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            catch (JsonException error)
            {
                // An argument of the wrong JSON type ("importance": "high"): the reader's path names the argument.
                return Result($"Invalid arguments for {tool}: {Describe(error)} Check the types in the tool's input schema and call it again.");
            }
            catch (ArgumentException error) when (IsBindingError(error))
            {
                // A required argument missing, or one that cannot be converted, reported by the SDK before the tool runs.
                return Result($"Invalid arguments for {tool}: {error.Message} Check the tool's input schema and call it again.");
            }
        };

    internal static CallToolResult Result(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    private static string Describe(JsonException error) =>
        error.Path is { Length: > 1 } path
            ? $"the value at '{path.TrimStart('$', '.')}' has the wrong type or format."
            : error.Message;

    // Binding errors come from Microsoft.Extensions.AI's AIFunction (the SDK's argument marshaller), not from our code.
    private static bool IsBindingError(ArgumentException error) =>
        error.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.Extensions.AI", StringComparison.Ordinal) == true
        || error.InnerException is JsonException;
}
