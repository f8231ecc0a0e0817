namespace MemoryService.Tests.Support;

/// <summary>
/// Five unrelated facts for the tests that a real embedding model finds a paraphrase: a question about what the user
/// drinks in the morning must rank the second one (index 1) first.
/// </summary>
internal static class ParaphraseCorpus
{
    public static readonly string[] Memories =
    [
        "The deployment pipeline runs on GitHub Actions.",
        "Every morning the user has a cup of green tea.",
        "Project Apollo stores its data in PostgreSQL 16.",
        "The user's daughter was born in March 2019.",
        "Code reviews need two approvals before merging.",
    ];
}
