using System.Collections.Frozen;

namespace QdrantPool.Resilience;

/// <summary>
/// Which Qdrant gRPC methods are safe to repeat. The pooled <c>CallInvoker</c> cannot see <c>ExecuteAsync</c>'s
/// <c>idempotent</c> flag, so it reads the answer here, by the call's full method name.
/// </summary>
/// <remarks>
/// Idempotent: every read, and every point write addressed by ids or a filter the caller fixed before the first
/// attempt (upsert, delete, vectors and payload edits, batches of those): repeating one leaves the same state and the
/// same answer. Not idempotent: creating, deleting or reconfiguring collections, shard keys and field indexes,
/// alias changes and snapshots, where a second attempt after a lost reply answers differently (AlreadyExists,
/// NotFound, a second snapshot). A method missing from the table (a newer server's) counts as not idempotent.
/// The README's "Method classification" table is this list; a test checks it covers every method Qdrant.Client has.
/// </remarks>
internal static class QdrantMethods
{
    private static readonly FrozenSet<string> Idempotent = new[]
    {
        "/qdrant.Qdrant/HealthCheck",

        "/qdrant.Collections/Get",
        "/qdrant.Collections/List",
        "/qdrant.Collections/CollectionExists",
        "/qdrant.Collections/ListAliases",
        "/qdrant.Collections/ListCollectionAliases",
        "/qdrant.Collections/CollectionClusterInfo",
        "/qdrant.Collections/ListShardKeys",

        "/qdrant.Points/Get",
        "/qdrant.Points/Count",
        "/qdrant.Points/Scroll",
        "/qdrant.Points/Search",
        "/qdrant.Points/SearchBatch",
        "/qdrant.Points/SearchGroups",
        "/qdrant.Points/Recommend",
        "/qdrant.Points/RecommendBatch",
        "/qdrant.Points/RecommendGroups",
        "/qdrant.Points/Discover",
        "/qdrant.Points/DiscoverBatch",
        "/qdrant.Points/Query",
        "/qdrant.Points/QueryBatch",
        "/qdrant.Points/QueryGroups",
        "/qdrant.Points/Facet",
        "/qdrant.Points/SearchMatrixPairs",
        "/qdrant.Points/SearchMatrixOffsets",
        "/qdrant.Points/Upsert",
        "/qdrant.Points/Delete",
        "/qdrant.Points/UpdateVectors",
        "/qdrant.Points/DeleteVectors",
        "/qdrant.Points/SetPayload",
        "/qdrant.Points/OverwritePayload",
        "/qdrant.Points/DeletePayload",
        "/qdrant.Points/ClearPayload",
        "/qdrant.Points/UpdateBatch",

        "/qdrant.Snapshots/List",
        "/qdrant.Snapshots/ListFull",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when repeating the call after a lost reply cannot change its outcome.</summary>
    public static bool IsIdempotent(string fullMethodName) => Idempotent.Contains(fullMethodName);

    /// <summary>The method's short name (<c>/qdrant.Points/Search</c> gives <c>Search</c>), the span's operation name.</summary>
    public static string OperationName(string fullMethodName)
    {
        var slash = fullMethodName.LastIndexOf('/');
        return slash >= 0 ? fullMethodName[(slash + 1)..] : fullMethodName;
    }
}
