using System.Numerics.Tensors;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>Score maths per distance, with Qdrant's ordering and threshold direction.</summary>
/// <remarks>
/// Cosine and Dot return a similarity (higher is better); Euclid returns the L2 distance and Manhattan the L1
/// distance (lower is better). Stored Cosine vectors are already unit length, so Cosine is a plain dot product.
/// </remarks>
internal static class Distances
{
    // Qdrant's test on the squared length: below f32::EPSILON counts as zero, within 1e-6 of 1 as already unit.
    private const float ZeroTolerance = 1.1920929e-7f;
    private const float UnitTolerance = 1e-6f;

    /// <summary>The vector as stored: L2-normalised for Cosine (unless zero or already unit length), unchanged otherwise. Returns a new array when it changes.</summary>
    public static float[] PrepareForStorage(Distance distance, float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (distance != Distance.Cosine)
        {
            return vector;
        }

        var squaredLength = TensorPrimitives.Dot(vector, vector);
        if (squaredLength < ZeroTolerance || Math.Abs(squaredLength - 1f) <= UnitTolerance)
        {
            return vector;
        }

        var normalised = new float[vector.Length];
        TensorPrimitives.Divide(vector, MathF.Sqrt(squaredLength), normalised);
        return normalised;
    }

    /// <summary>True when a larger score is a better match (Cosine, Dot).</summary>
    public static bool HigherIsBetter(Distance distance) => distance is Distance.Cosine or Distance.Dot;

    /// <summary>The score Qdrant returns for a stored vector against a (prepared) query vector.</summary>
    public static float Score(Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => distance switch
    {
        Distance.Cosine or Distance.Dot => TensorPrimitives.Dot(query, stored),
        Distance.Euclid => TensorPrimitives.Distance(query, stored),
        Distance.Manhattan => ManhattanDistance(query, stored),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Distance {distance} has no scoring rule."),
    };

    /// <summary>
    /// score_threshold is strict in the distance's own direction: keep score &gt; t for Cosine/Dot, score &lt; t for Euclid/Manhattan.
    /// </summary>
    public static bool PassesThreshold(Distance distance, float score, float threshold) =>
        HigherIsBetter(distance) ? score > threshold : score < threshold;

    /// <summary>
    /// Orders two results best first: better score, then (on a tie) the lower point id.
    /// Negative when <paramref name="a"/> ranks ahead of <paramref name="b"/>.
    /// </summary>
    public static int CompareRank(bool higherIsBetter, float scoreA, PointKey idA, float scoreB, PointKey idB)
    {
        var byScore = higherIsBetter ? scoreB.CompareTo(scoreA) : scoreA.CompareTo(scoreB);
        return byScore != 0 ? byScore : idA.CompareTo(idB);
    }

    private static float ManhattanDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        // Subtract into a scratch buffer, then sum magnitudes: two SIMD passes, no per-element branching.
        const int StackLimit = 1024;
        var buffer = a.Length <= StackLimit ? stackalloc float[a.Length] : new float[a.Length];
        TensorPrimitives.Subtract(a, b, buffer);
        return TensorPrimitives.SumOfMagnitudes(buffer);
    }
}
