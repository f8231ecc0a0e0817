namespace MemoryService.Memories;

/// <summary>What kind of thing a memory records. Written in JSON and in Qdrant's payload in lower case.</summary>
public enum MemoryCategory
{
    Preference,
    Fact,
    Event,
    Workflow,
    Context,
}

/// <summary>Whether a memory applies everywhere or to one project.</summary>
public enum MemoryScope
{
    Global,
    Project,
}

/// <summary>The lower-case names used on the wire and in the payload, and their parsing.</summary>
public static class MemoryNames
{
    public static readonly IReadOnlyList<string> Categories = ["preference", "fact", "event", "workflow", "context"];
    public static readonly IReadOnlyList<string> Scopes = ["global", "project"];

    public static string ToName(this MemoryCategory category) => category switch
    {
        MemoryCategory.Preference => "preference",
        MemoryCategory.Fact => "fact",
        MemoryCategory.Event => "event",
        MemoryCategory.Workflow => "workflow",
        MemoryCategory.Context => "context",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    public static string ToName(this MemoryScope scope) => scope switch
    {
        MemoryScope.Global => "global",
        MemoryScope.Project => "project",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>Case-insensitive; numbers are refused (Enum.TryParse would take "3").</summary>
    public static bool TryParseCategory(string? text, out MemoryCategory category)
    {
        var index = IndexOf(Categories, text);
        category = (MemoryCategory)Math.Max(index, 0);
        return index >= 0;
    }

    public static bool TryParseScope(string? text, out MemoryScope scope)
    {
        var index = IndexOf(Scopes, text);
        scope = (MemoryScope)Math.Max(index, 0);
        return index >= 0;
    }

    private static int IndexOf(IReadOnlyList<string> names, string? text)
    {
        if (text is null)
        {
            return -1;
        }

        var trimmed = text.Trim();
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
