using System.Collections.Immutable;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Writes;

/// <summary>
/// The point writes. <see cref="CheckRequest"/> and <see cref="Prepare"/> run before a write is logged, so a bad
/// request fails without touching the log; <see cref="Apply"/> runs in the writer, in log order, and checks again
/// against the state it meets.
/// </summary>
internal static class PointOperations
{
    /// <summary>
    /// The checks Qdrant's gRPC layer makes while converting the request, before it looks for the collection,
    /// so a malformed request to a missing collection reports the malformed part, as Qdrant does.
    /// </summary>
    public static void CheckRequest(WriteCommand command)
    {
        switch (command.Message)
        {
            case UpsertPoints upsert:
                UpsertInput.CheckConversion(upsert);
                break;
            case DeletePoints delete:
                PointSelection.Parse(delete.Points, PointSelection.MissingForPoints);
                break;
            case SetPayloadPoints setPayload:
                KeyOf(command, setPayload);
                PointSelection.Parse(setPayload.PointsSelector, PointSelection.MissingForPayload);
                PayloadInput.Check(setPayload.Payload);
                break;
            case DeletePayloadPoints deletePayload:
                CheckKeys(deletePayload.Keys);
                PointSelection.Parse(deletePayload.PointsSelector, PointSelection.MissingForPayload);
                break;
            case CreateFieldIndexCollection createIndex:
                JsonPath.Parse(createIndex.FieldName);
                break;
            case ClearPayloadPoints clear:
                PointSelection.Parse(clear.Points, PointSelection.MissingForPoints);
                break;
        }
    }

    /// <summary>Validates the write against the collection as it is now; returns the command to queue (with any prepared work).</summary>
    public static WriteCommand Prepare(CollectionState collection, WriteCommand command)
    {
        if (command.Message is UpsertPoints upsert)
        {
            return command with { Prepared = UpsertInput.Prepare(collection, upsert) };
        }

        Apply(collection, command, 0, dryRun: true);
        return command;
    }

    public static CollectionState Apply(CollectionState collection, WriteCommand command, ulong version) =>
        Apply(collection, command, version, dryRun: false);

    public static CollectionState Restore(CollectionState collection, SearchResponse points)
    {
        var builder = collection.Points.ToBuilder();
        foreach (var record in points.Result)
        {
            var point = PointRecords.FromScoredPoint(record);
            builder[point.Id] = point;
        }

        return collection.With(points: builder.ToImmutable());
    }

    private static CollectionState Apply(CollectionState collection, WriteCommand command, ulong version, bool dryRun)
    {
        switch (command.Message)
        {
            case UpsertPoints upsert:
                var prepared = command.Prepared is PreparedUpsert early && ReferenceEquals(early.CheckedAgainst, collection.Vectors)
                    ? early
                    : UpsertInput.Prepare(collection, upsert);
                return dryRun ? collection : Put(collection, prepared.Points, version);

            case DeletePoints delete:
                var doomed = PointSelection.Parse(delete.Points, PointSelection.MissingForPoints);
                return dryRun ? collection : Remove(collection, doomed.Resolve(collection, requireAll: false));

            case SetPayloadPoints setPayload:
                // Qdrant's order: the key path, then the selector, then the payload values.
                var key = KeyOf(command, setPayload);
                var targets = PointSelection.Parse(setPayload.PointsSelector, PointSelection.MissingForPayload);
                PayloadInput.Check(setPayload.Payload);
                var overwrite = command.Kind == LogKind.OverwritePayload;
                return dryRun
                    ? collection
                    : Rewrite(collection, targets.Resolve(collection, requireAll: true), version, payload => PayloadEdits.Set(payload, setPayload.Payload, key, overwrite));

            case DeletePayloadPoints deletePayload:
                CheckKeys(deletePayload.Keys);
                var from = PointSelection.Parse(deletePayload.PointsSelector, PointSelection.MissingForPayload);
                return dryRun
                    ? collection
                    : Rewrite(collection, from.Resolve(collection, requireAll: true), version, payload => PayloadEdits.Delete(payload, deletePayload.Keys));

            case ClearPayloadPoints clear:
                var cleared = PointSelection.Parse(clear.Points, PointSelection.MissingForPoints);
                return dryRun
                    ? collection
                    : Rewrite(collection, cleared.Resolve(collection, requireAll: true), version, _ => new Dictionary<string, Value>(StringComparer.Ordinal));

            case CreateFieldIndexCollection createIndex:
                return dryRun ? collection : collection.With(payloadSchema: collection.PayloadSchema.SetItem(createIndex.FieldName, SchemaOf(createIndex)));

            case DeleteFieldIndexCollection deleteIndex:
                return dryRun ? collection : collection.With(payloadSchema: collection.PayloadSchema.Remove(deleteIndex.FieldName));

            default:
                throw new InvalidOperationException($"{command.Kind} is not a point operation.");
        }
    }

    /// <summary>SetPayload's optional key (OverwritePayload ignores it, as Qdrant does); only a top-level name is supported.</summary>
    private static string? KeyOf(WriteCommand command, SetPayloadPoints request)
    {
        if (command.Kind == LogKind.OverwritePayload || !request.HasKey)
        {
            return null;
        }

        var key = request.Key;
        return JsonPath.Parse(key).Rest.Count > 0
            ? throw QdrantErrors.WrongInput($"QdrantEmulator supports only a top-level key in set_payload, not '{key}'")
            : key;
    }

    // Qdrant parses every payload key as a JSON path first: "Invalid json path: 'KEY'".
    private static void CheckKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            JsonPath.Parse(key);
        }
    }

    private static CollectionState Put(CollectionState collection, List<PreparedPoint> points, ulong version)
    {
        var builder = collection.Points.ToBuilder();
        foreach (var point in points)
        {
            builder[point.Id] = new StoredPoint { Id = point.Id, Vectors = point.Vectors, Payload = point.Payload, Version = version };
        }

        return collection.With(points: builder.ToImmutable());
    }

    private static CollectionState Remove(CollectionState collection, List<StoredPoint> points) =>
        points.Count == 0 ? collection : collection.With(points: collection.Points.RemoveRange(points.Select(point => point.Id)));

    private static CollectionState Rewrite(
        CollectionState collection, List<StoredPoint> points, ulong version, Func<IReadOnlyDictionary<string, Value>, IReadOnlyDictionary<string, Value>> edit)
    {
        var builder = collection.Points.ToBuilder();
        foreach (var point in points)
        {
            builder[point.Id] = new StoredPoint { Id = point.Id, Vectors = point.Vectors, Payload = edit(point.Payload), Version = version };
        }

        return collection.With(points: builder.ToImmutable());
    }

    private static PayloadSchemaInfo SchemaOf(CreateFieldIndexCollection request)
    {
        // FieldType is PayloadSchemaType shifted by one (PayloadSchemaType 0 is UnknownType).
        var info = new PayloadSchemaInfo { DataType = request.HasFieldType ? (PayloadSchemaType)((int)request.FieldType + 1) : PayloadSchemaType.Keyword, Points = 0 };
        if (request.FieldIndexParams is not null)
        {
            info.Params = request.FieldIndexParams;
        }

        return info;
    }
}
