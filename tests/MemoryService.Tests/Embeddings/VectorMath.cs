namespace MemoryService.Tests.Embeddings;

internal static class VectorMath
{
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / (MathF.Sqrt(na) * MathF.Sqrt(nb));
    }

    public static float Norm(ReadOnlySpan<float> a)
    {
        float sum = 0;
        foreach (var x in a)
        {
            sum += x * x;
        }

        return MathF.Sqrt(sum);
    }
}
