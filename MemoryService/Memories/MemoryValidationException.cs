namespace MemoryService.Memories;

/// <summary>
/// Input that breaks a rule: <see cref="Errors"/> maps each field (camelCase, with an index for list items, e.g.
/// <c>memories[3].content</c>) to what is wrong with it. The API answers 400 with these; MCP tools a tool error.
/// </summary>
public sealed class MemoryValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static MemoryValidationException For(string field, string message) => new(new Dictionary<string, string[]>
    {
        [field] = [message],
    });

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
}
