using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// Every read RPC over a collection snapshot. Errors are RpcExceptions carrying Qdrant's status and exact text.
/// The caller has already checked auth and that the collection exists.
/// </summary>
internal static class ReadOperations
{
    public static RepeatedField<ScoredPoint> Search(CollectionSnapshot collection, SearchPoints request) => throw new NotImplementedException();

    public static RepeatedField<ScoredPoint> Query(CollectionSnapshot collection, QueryPoints request) => throw new NotImplementedException();

    public static (RepeatedField<RetrievedPoint> Points, PointId? NextPageOffset) Scroll(CollectionSnapshot collection, ScrollPoints request) => throw new NotImplementedException();

    public static ulong Count(CollectionSnapshot collection, CountPoints request) => throw new NotImplementedException();

    public static RepeatedField<RetrievedPoint> Get(CollectionSnapshot collection, GetPoints request) => throw new NotImplementedException();
}
