using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Reads;

/// <summary>Runs a read against a collection's snapshot, with Qdrant's error order when the collection is missing.</summary>
internal static class SnapshotReader
{
    public static T Read<T>(EmulatorStore store, string collection, Func<CollectionSnapshot, T> read)
    {
        var state = store.Find(collection);
        if (state is not null)
        {
            return read(state.Snapshot());
        }

        // Qdrant validates and converts a request before it looks the collection up, so a malformed read to a missing
        // collection reports what is malformed. Running it over an empty collection surfaces exactly those errors;
        // anything that depends on the collection ("Wrong input: …", a missing point) becomes NOT_FOUND.
        try
        {
            read(Empty(collection));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && !e.Status.Detail.StartsWith("Wrong input: ", StringComparison.Ordinal))
        {
            throw;
        }
        catch (RpcException)
        {
            // Collection-dependent: the missing collection is the error to report.
        }

        throw QdrantErrors.CollectionNotFound(collection);
    }

    private static CollectionSnapshot Empty(string name) => new()
    {
        Name = name,
        Vectors = new Dictionary<string, VectorParams>(),
        Points = [],
        ById = new Dictionary<PointKey, StoredPoint>(),
    };
}
