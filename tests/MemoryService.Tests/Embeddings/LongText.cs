namespace MemoryService.Tests.Embeddings;

internal static class LongText
{
    /// <summary>
    /// About <paramref name="words"/> words of plain English about cooking (one token each, give or take), so the
    /// text runs past the model's 512 tokens when <paramref name="words"/> is large enough.
    /// </summary>
    public static string Cooking(int words)
    {
        string[] sentence = ["the", "soup", "simmers", "slowly", "while", "the", "onions", "soften", "in", "butter", "and", "the", "bread", "rises", "near", "the", "warm", "oven"];
        return string.Join(' ', Enumerable.Range(0, words).Select(i => sentence[i % sentence.Length]));
    }
}
