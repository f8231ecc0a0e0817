using Qdrant.Client.Grpc;
using QdrantEmulator.Collections;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Reads;

/// <summary>
/// The qdrant.Points reads: find the collection (NOT_FOUND otherwise, in Qdrant's order, see <see cref="SnapshotReader"/>),
/// take its snapshot, and let <see cref="ReadOperations"/> answer. Auth has already run in the middleware.
/// </summary>
internal static class PointReadHandlers
{
    public static RpcHandlers MapPointReads(this RpcHandlers handlers, EmulatorStore store, TimeProvider time) => handlers
        .Add<SearchPoints, SearchResponse>("/qdrant.Points/Search", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new SearchResponse();
            response.Result.Add(SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.Search(s, request)));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<SearchBatchPoints, SearchBatchResponse>("/qdrant.Points/SearchBatch", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new SearchBatchResponse();
            response.Result.Add(SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.SearchBatch(s, request)));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<QueryPoints, QueryResponse>("/qdrant.Points/Query", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new QueryResponse();
            response.Result.Add(SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.Query(s, request)));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<QueryBatchPoints, QueryBatchResponse>("/qdrant.Points/QueryBatch", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new QueryBatchResponse();
            response.Result.Add(SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.QueryBatch(s, request)));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<ScrollPoints, ScrollResponse>("/qdrant.Points/Scroll", (request, _) =>
        {
            var started = time.GetTimestamp();
            var (points, next) = SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.Scroll(s, request));
            var response = new ScrollResponse();
            response.Result.Add(points);
            if (next is not null)
            {
                response.NextPageOffset = next;
            }

            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<CountPoints, CountResponse>("/qdrant.Points/Count", (request, _) =>
        {
            var started = time.GetTimestamp();
            var count = SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.Count(s, request));
            return Task.FromResult(new CountResponse { Result = new CountResult { Count = count }, Time = CollectionHandlers.Elapsed(time, started) });
        })
        .Add<GetPoints, GetResponse>("/qdrant.Points/Get", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new GetResponse();
            response.Result.Add(SnapshotReader.Read(store, request.CollectionName, s => ReadOperations.Get(s, request)));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        });
}
