namespace MemoryService.Benchmarks;

/// <summary>Memories of three sizes: a sentence, a paragraph, and a document long enough to need three model windows.</summary>
internal static class SampleTexts
{
    public const string Sentence = "The user prefers dark mode and a monospaced font in every editor.";

    public const string Paragraph =
        "Project Apollo is the customer portal rewrite. It runs on .NET 10 with PostgreSQL 16, deploys from GitHub " +
        "Actions every Tuesday after the standup, and keeps its feature flags in LaunchDarkly. The team prefers small " +
        "pull requests with two approvals, squash merges, and a changelog entry for anything users can see. Incidents " +
        "go to the #apollo-oncall channel first; the runbook lives in the wiki under Operations.";

    /// <summary>~1,300 tokens: three windows of at most 510.</summary>
    public static readonly string Document = string.Join(' ', Enumerable.Repeat(Paragraph, 13));

    public static string Of(string size, int variant) => size switch
    {
        // A distinct suffix per variant, so no two texts in a batch are equal (and no cache could help).
        "sentence" => $"{Sentence} (note {variant})",
        "paragraph" => $"{Paragraph} (note {variant})",
        "document" => $"{Document} (note {variant})",
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };
}
