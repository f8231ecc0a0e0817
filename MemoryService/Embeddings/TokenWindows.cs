using BERTTokenizers.Base;

namespace MemoryService.Embeddings;

/// <summary>
/// Cuts a text into windows the model can read whole. arctic-embed-xs reads at most 512 tokens ([CLS] + 510 + [SEP])
/// and silently drops the rest, so a 10,000-character memory would be found only by its first ~2,000 characters.
/// Windows are whole words, end to end, without overlap.
/// </summary>
internal static class TokenWindows
{
    /// <summary>512 positions minus [CLS] and [SEP].</summary>
    public const int MaxContentTokens = 510;

    public readonly record struct Window(string Text, int Tokens);

    public static IReadOnlyList<Window> Split(string text, TokenizerBase tokenizer, int maxContentTokens = MaxContentTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContentTokens, 1);

        // Every WordPiece token covers at least one character, so a text this short is one window; its exact count
        // still matters to the batching (slices are sized in tokens).
        if (text.Length <= maxContentTokens)
        {
            return [new Window(text, tokenizer.Tokenize(int.MaxValue, text)[0].Length - 2)];
        }

        // The tokenizer splits on whitespace before anything else, so a text's token count is the sum of its
        // words' counts: counting word by word is exact.
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var counts = tokenizer.Tokenize(int.MaxValue, words);

        var windows = new List<Window>();
        var current = new List<string>();
        var tokens = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var wordTokens = counts[i].Length - 2; // without its own [CLS] and [SEP]
            if (wordTokens > maxContentTokens)
            {
                Flush();
                // One "word" longer than a window (a URL, a base64 blob): cut it by characters, which is safe by
                // the same one-character-per-token bound as above.
                foreach (var piece in words[i].Chunk(maxContentTokens))
                {
                    windows.Add(new Window(new string(piece), piece.Length));
                }

                continue;
            }

            if (tokens + wordTokens > maxContentTokens)
            {
                Flush();
            }

            current.Add(words[i]);
            tokens += wordTokens;
        }

        Flush();
        return windows;

        void Flush()
        {
            if (current.Count > 0)
            {
                windows.Add(new Window(string.Join(' ', current), tokens));
                current.Clear();
                tokens = 0;
            }
        }
    }
}
