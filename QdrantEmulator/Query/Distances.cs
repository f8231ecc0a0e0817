using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>Score maths per distance, with Qdrant's ordering and threshold direction.</summary>
internal static class Distances
{
    /// <summary>The vector as stored: L2-normalised for Cosine (unless zero or already unit length), unchanged otherwise. Returns a new array when it changes.</summary>
    public static float[] PrepareForStorage(Distance distance, float[] vector) => throw new NotImplementedException();
}
