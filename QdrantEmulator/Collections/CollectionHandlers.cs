using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Collections;

/// <summary>The qdrant.Collections methods the emulator serves.</summary>
internal static class CollectionHandlers
{
    public static RpcHandlers MapCollections(this RpcHandlers handlers, StorageEngine engine, TimeProvider time)
    {
        var store = engine.Store;
        return handlers
            .Add<CreateCollection, CollectionOperationResponse>("/qdrant.Collections/Create", async (request, _) =>
            {
                var started = time.GetTimestamp();
                CollectionOperations.Validate(store, request);
                var outcome = await engine.Writes.SubmitAsync(new WriteCommand(LogKind.CreateCollection, request));
                return new CollectionOperationResponse { Result = outcome.Result, Time = Elapsed(time, started) };
            })
            .Add<UpdateCollection, CollectionOperationResponse>("/qdrant.Collections/Update", async (request, _) =>
            {
                var started = time.GetTimestamp();
                store.Get(request.CollectionName);
                var outcome = await engine.Writes.SubmitAsync(new WriteCommand(LogKind.UpdateCollection, request));
                return new CollectionOperationResponse { Result = outcome.Result, Time = Elapsed(time, started) };
            })
            .Add<DeleteCollection, CollectionOperationResponse>("/qdrant.Collections/Delete", async (request, _) =>
            {
                // A missing collection is not an error: Qdrant answers OK with result=false.
                var started = time.GetTimestamp();
                var outcome = await engine.Writes.SubmitAsync(new WriteCommand(LogKind.DeleteCollection, request));
                return new CollectionOperationResponse { Result = outcome.Result, Time = Elapsed(time, started) };
            })
            .Add<GetCollectionInfoRequest, GetCollectionInfoResponse>("/qdrant.Collections/Get", (request, _) =>
            {
                var started = time.GetTimestamp();
                var info = CollectionInfoFactory.Build(store.Get(request.CollectionName));
                return Task.FromResult(new GetCollectionInfoResponse { Result = info, Time = Elapsed(time, started) });
            })
            .Add<ListCollectionsRequest, ListCollectionsResponse>("/qdrant.Collections/List", (_, _) =>
            {
                var started = time.GetTimestamp();
                var response = new ListCollectionsResponse();
                response.Collections.Add(store.Collections.Select(c => new CollectionDescription { Name = c.Name }));
                response.Time = Elapsed(time, started);
                return Task.FromResult(response);
            })
            .Add<CollectionExistsRequest, CollectionExistsResponse>("/qdrant.Collections/CollectionExists", (request, _) =>
            {
                var started = time.GetTimestamp();
                var exists = new CollectionExists { Exists = store.Find(request.CollectionName) is not null };
                return Task.FromResult(new CollectionExistsResponse { Result = exists, Time = Elapsed(time, started) });
            });
    }

    internal static double Elapsed(TimeProvider time, long started) => time.GetElapsedTime(started).TotalSeconds;
}
