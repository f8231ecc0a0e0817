using Google.Protobuf;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Storage;

/// <summary>What a log record holds. Values are stored on disk: never renumber them.</summary>
internal enum LogKind : byte
{
    CreateCollection = 1,
    DeleteCollection = 2,
    UpdateCollection = 3,
    Upsert = 4,
    DeletePoints = 5,
    SetPayload = 6,
    OverwritePayload = 7,
    DeletePayload = 8,
    ClearPayload = 9,
    CreateFieldIndex = 10,
    DeleteFieldIndex = 11,

    // Written only by compaction.
    RestoreCollection = 32,
    RestorePoints = 33,
    SnapshotEnd = 34,
}

/// <summary>
/// One write, as logged: the request message Qdrant received, or a compaction record.
/// For <see cref="LogKind.RestorePoints"/> the message is a <see cref="SearchResponse"/> whose points carry their
/// versions, and <see cref="Collection"/> names the collection.
/// </summary>
internal sealed record WriteCommand(LogKind Kind, IMessage Message, string? Collection = null)
{
    /// <summary>Work done before the write was queued (never logged; null on replay, where it is redone).</summary>
    public object? Prepared { get; init; }

    public static MessageParser ParserFor(LogKind kind) => kind switch
    {
        LogKind.CreateCollection or LogKind.RestoreCollection => CreateCollection.Parser,
        LogKind.DeleteCollection => DeleteCollection.Parser,
        LogKind.UpdateCollection => UpdateCollection.Parser,
        LogKind.Upsert => UpsertPoints.Parser,
        LogKind.DeletePoints => DeletePoints.Parser,
        LogKind.SetPayload or LogKind.OverwritePayload => SetPayloadPoints.Parser,
        LogKind.DeletePayload => DeletePayloadPoints.Parser,
        LogKind.ClearPayload => ClearPayloadPoints.Parser,
        LogKind.CreateFieldIndex => CreateFieldIndexCollection.Parser,
        LogKind.DeleteFieldIndex => DeleteFieldIndexCollection.Parser,
        LogKind.RestorePoints => SearchResponse.Parser,
        LogKind.SnapshotEnd => Google.Protobuf.WellKnownTypes.Empty.Parser,
        _ => throw new InvalidDataException($"Unknown log record kind {(byte)kind}."),
    };

    public static WriteCommand SnapshotEnd() => new(LogKind.SnapshotEnd, new Google.Protobuf.WellKnownTypes.Empty());
}

/// <summary>A record read back from disk.</summary>
internal readonly record struct LogEntry(ulong OperationId, WriteCommand Command);
