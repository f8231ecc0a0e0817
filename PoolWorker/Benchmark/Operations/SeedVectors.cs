namespace PoolWorker.Benchmark.Operations;

internal static class SeedVectors
{
    public static float[] Random(Random random, int size)
    {
        var vector = new float[size];
        for (var i = 0; i < size; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return vector;
    }
}
