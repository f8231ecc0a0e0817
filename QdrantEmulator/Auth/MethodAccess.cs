namespace QdrantEmulator.Auth;

/// <summary>Which gRPC paths skip auth, and which a read-only key may call (Qdrant's global Read access).</summary>
internal static class MethodAccess
{
    private static readonly HashSet<string> Exempt = new(StringComparer.Ordinal)
    {
        "/qdrant.Qdrant/HealthCheck",
        "/grpc.health.v1.Health/Check",
    };

    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "/qdrant.Collections/Get",
        "/qdrant.Collections/List",
        "/qdrant.Collections/ListCollectionAliases",
        "/qdrant.Collections/ListAliases",
        "/qdrant.Collections/CollectionClusterInfo",
        "/qdrant.Collections/CollectionExists",
        "/qdrant.Collections/ListShardKeys",
        "/qdrant.Points/Get",
        "/qdrant.Points/Search",
        "/qdrant.Points/SearchBatch",
        "/qdrant.Points/SearchGroups",
        "/qdrant.Points/Scroll",
        "/qdrant.Points/Recommend",
        "/qdrant.Points/RecommendBatch",
        "/qdrant.Points/RecommendGroups",
        "/qdrant.Points/Discover",
        "/qdrant.Points/DiscoverBatch",
        "/qdrant.Points/Count",
        "/qdrant.Points/Query",
        "/qdrant.Points/QueryBatch",
        "/qdrant.Points/QueryGroups",
        "/qdrant.Points/Facet",
        "/qdrant.Points/SearchMatrixPairs",
        "/qdrant.Points/SearchMatrixOffsets",
        "/qdrant.Snapshots/List",
        "/qdrant.Snapshots/ListFull",
    };

    public static bool IsExempt(string path) => Exempt.Contains(path);

    public static bool IsReadOnly(string path) => ReadOnly.Contains(path);
}
