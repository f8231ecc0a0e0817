namespace MemoryAspire.Hosting;

/// <summary>The Qdrant server image, in one place so a version bump is one line.</summary>
internal static class QdrantContainerImageTags
{
    /// <remarks>docker.io</remarks>
    public const string Registry = "docker.io";

    /// <remarks>qdrant/qdrant</remarks>
    public const string Image = "qdrant/qdrant";

    /// <remarks>
    /// v1.20.0: the server line Qdrant.Client 1.20.0 targets (its <c>QdrantGrpcClient.QdrantVersion</c> reports v1.20.0;
    /// see shared/reference/qdrant-api.md). Keep the minor version in step with the client package.
    /// </remarks>
    public const string Tag = "v1.20.0";
}
