using System.Collections.Immutable;
using QdrantEmulator.Grpc;

namespace QdrantEmulator.Storage;

/// <summary>
/// Every collection, in memory. Readers take the current immutable state without locking; only the single writer
/// (<see cref="WriteQueue"/>, or recovery before the server opens) replaces it.
/// </summary>
internal sealed class EmulatorStore
{
    private ImmutableSortedDictionary<string, CollectionState> collections =
        ImmutableSortedDictionary.Create<string, CollectionState>(StringComparer.Ordinal);

    /// <summary>The operation number of the last write applied (or replayed).</summary>
    public ulong LastOperationId { get; private set; }

    public IEnumerable<CollectionState> Collections => Volatile.Read(ref collections).Values;

    public CollectionState? Find(string name) => Volatile.Read(ref collections).GetValueOrDefault(name);

    /// <summary>The collection, or Qdrant's NOT_FOUND error.</summary>
    public CollectionState Get(string name) => Find(name) ?? throw QdrantErrors.CollectionNotFound(name);

    /// <summary>Applies one logged write; the writer's only entry point, so replay and live writes share one code path.</summary>
    public bool Apply(WriteCommand command, ulong operationId)
    {
        LastOperationId = Math.Max(LastOperationId, operationId);
        return WriteApplier.Apply(this, command, operationId);
    }

    internal void Put(CollectionState collection) =>
        Volatile.Write(ref collections, collections.SetItem(collection.Name, collection));

    internal bool Remove(string name)
    {
        var current = collections;
        var next = current.Remove(name);
        Volatile.Write(ref collections, next);
        return !ReferenceEquals(current, next);
    }

    internal void MarkReplayed(ulong operationId) => LastOperationId = Math.Max(LastOperationId, operationId);
}
