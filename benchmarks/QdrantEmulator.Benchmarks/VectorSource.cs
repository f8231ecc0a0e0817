namespace QdrantEmulator.Benchmarks;

/// <summary>Seeded random vectors: point i always gets the same vector, and each caller its own query stream.</summary>
internal sealed class VectorSource(int dims, int seed)
{
    public int Dims { get; } = dims;

    public float[] ForPoint(long index) => Fill(new Random(HashCode.Combine(seed, index)));

    public Random QueryStream(int caller) => new(HashCode.Combine(seed, "queries", caller));

    public float[] Next(Random random) => Fill(random);

    private float[] Fill(Random random)
    {
        var vector = new float[Dims];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (random.NextSingle() * 2f) - 1f;
        }

        return vector;
    }
}
