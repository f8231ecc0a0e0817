using Qdrant.Client.Grpc;
using QdrantEmulator.Collections;
using QdrantEmulator.Writes;

namespace QdrantEmulator.Storage;

/// <summary>Routes a logged write to the operation that applies it. Deterministic: replay reaches the same state.</summary>
internal static class WriteApplier
{
    public static bool Apply(EmulatorStore store, WriteCommand command, ulong operationId)
    {
        switch (command.Kind)
        {
            case LogKind.CreateCollection:
                store.Put(CollectionOperations.Create(store, (CreateCollection)command.Message));
                return true;
            case LogKind.RestoreCollection:
                store.Put(CollectionState.Create((CreateCollection)command.Message));
                return true;
            case LogKind.DeleteCollection:
                return store.Remove(((DeleteCollection)command.Message).CollectionName);
            case LogKind.UpdateCollection:
                var update = (UpdateCollection)command.Message;
                store.Put(CollectionOperations.Update(store.Get(update.CollectionName), update));
                return true;
            case LogKind.RestorePoints:
                var collection = store.Get(command.Collection!);
                store.Put(PointOperations.Restore(collection, (SearchResponse)command.Message));
                return true;
            case LogKind.SnapshotEnd:
                return true;
            default:
                var name = CollectionNameOf(command);
                store.Put(PointOperations.Apply(store.Get(name), command, operationId));
                return true;
        }
    }

    private static string CollectionNameOf(WriteCommand command) => command.Message switch
    {
        UpsertPoints m => m.CollectionName,
        DeletePoints m => m.CollectionName,
        SetPayloadPoints m => m.CollectionName,
        DeletePayloadPoints m => m.CollectionName,
        ClearPayloadPoints m => m.CollectionName,
        CreateFieldIndexCollection m => m.CollectionName,
        DeleteFieldIndexCollection m => m.CollectionName,
        _ => throw new InvalidDataException($"Log record kind {command.Kind} names no collection."),
    };
}
