using Qdrant.Client.Grpc;
using QdrantEmulator.Collections;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Reads;

/// <summary>
/// The qdrant.Points reads: find the collection (NOT_FOUND otherwise), take its snapshot, and let
/// <see cref="ReadOperations"/> answer. Auth has already run in the middleware.
/// </summary>
internal static class PointReadHandlers
{
    public static RpcHandlers MapPointReads(this RpcHandlers handlers, EmulatorStore store, TimeProvider time) => handlers
        .Add<SearchPoints, SearchResponse>("/qdrant.Points/Search", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new SearchResponse();
            response.Result.Add(ReadOperations.Search(store.Get(request.CollectionName).Snapshot(), request));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<SearchBatchPoints, SearchBatchResponse>("/qdrant.Points/SearchBatch", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new SearchBatchResponse();
            response.Result.Add(ReadOperations.SearchBatch(store.Get(request.CollectionName).Snapshot(), request));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<QueryPoints, QueryResponse>("/qdrant.Points/Query", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new QueryResponse();
            response.Result.Add(ReadOperations.Query(store.Get(request.CollectionName).Snapshot(), request));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<QueryBatchPoints, QueryBatchResponse>("/qdrant.Points/QueryBatch", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new QueryBatchResponse();
            response.Result.Add(ReadOperations.QueryBatch(store.Get(request.CollectionName).Snapshot(), request));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        })
        .Add<ScrollPoints, ScrollResponse>("/qdrant.Points/Scroll", (request, _) =>
        {
            var started = time.GetTimestamp();
            var (points, next) = ReadOperations.Scroll(store.Get(request.CollectionName).Snapshot(), request);
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
            var count = ReadOperations.Count(store.Get(request.CollectionName).Snapshot(), request);
            return Task.FromResult(new CountResponse { Result = new CountResult { Count = count }, Time = CollectionHandlers.Elapsed(time, started) });
        })
        .Add<GetPoints, GetResponse>("/qdrant.Points/Get", (request, _) =>
        {
            var started = time.GetTimestamp();
            var response = new GetResponse();
            response.Result.Add(ReadOperations.Get(store.Get(request.CollectionName).Snapshot(), request));
            response.Time = CollectionHandlers.Elapsed(time, started);
            return Task.FromResult(response);
        });
}
