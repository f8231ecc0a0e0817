using Google.Protobuf;
using Qdrant.Client.Grpc;
using QdrantEmulator.Collections;
using QdrantEmulator.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Writes;

/// <summary>
/// The qdrant.Points writes. Each is validated, logged and fsynced before it is answered, whatever <c>wait</c> says;
/// <c>wait</c> only picks the status Qdrant would report (Completed when waited, Acknowledged otherwise).
/// </summary>
internal static class PointWriteHandlers
{
    public static RpcHandlers MapPointWrites(this RpcHandlers handlers, StorageEngine engine, TimeProvider time) => handlers
        .Add<UpsertPoints, PointsOperationResponse>("/qdrant.Points/Upsert",
            (r, _) => WriteAsync(engine, time, LogKind.Upsert, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<DeletePoints, PointsOperationResponse>("/qdrant.Points/Delete",
            (r, _) => WriteAsync(engine, time, LogKind.DeletePoints, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<SetPayloadPoints, PointsOperationResponse>("/qdrant.Points/SetPayload",
            (r, _) => WriteAsync(engine, time, LogKind.SetPayload, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<SetPayloadPoints, PointsOperationResponse>("/qdrant.Points/OverwritePayload",
            (r, _) => WriteAsync(engine, time, LogKind.OverwritePayload, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<DeletePayloadPoints, PointsOperationResponse>("/qdrant.Points/DeletePayload",
            (r, _) => WriteAsync(engine, time, LogKind.DeletePayload, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<ClearPayloadPoints, PointsOperationResponse>("/qdrant.Points/ClearPayload",
            (r, _) => WriteAsync(engine, time, LogKind.ClearPayload, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<CreateFieldIndexCollection, PointsOperationResponse>("/qdrant.Points/CreateFieldIndex",
            (r, _) => WriteAsync(engine, time, LogKind.CreateFieldIndex, r, r.CollectionName, r.HasWait && r.Wait))
        .Add<DeleteFieldIndexCollection, PointsOperationResponse>("/qdrant.Points/DeleteFieldIndex",
            (r, _) => WriteAsync(engine, time, LogKind.DeleteFieldIndex, r, r.CollectionName, r.HasWait && r.Wait));

    private static async Task<PointsOperationResponse> WriteAsync(
        StorageEngine engine, TimeProvider time, LogKind kind, IMessage request, string collection, bool wait)
    {
        var started = time.GetTimestamp();
        var command = new WriteCommand(kind, request);
        PointOperations.CheckRequest(command);
        command = PointOperations.Prepare(engine.Store.Get(collection), command);
        var outcome = await engine.Writes.SubmitAsync(command);
        return new PointsOperationResponse
        {
            Result = new UpdateResult
            {
                OperationId = outcome.OperationId,
                Status = wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged,
            },
            Time = CollectionHandlers.Elapsed(time, started),
        };
    }
}
