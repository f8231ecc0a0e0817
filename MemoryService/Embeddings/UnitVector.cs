namespace MemoryService.Embeddings;

/// <summary>
/// Scaling embeddings to length 1, which both generators do: the collection's distance is Cosine, and unit vectors
/// make a score comparable across generators and texts.
/// </summary>
internal static class UnitVector
{
    /// <summary>Divides the vector by its length in place; false, and the vector untouched, when it is all zeros (no direction).</summary>
    public static bool TryNormalize(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        if (!(norm > 0))
        {
            return false;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return true;
    }
}
