using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Storage;

/// <summary>
/// The storage folder: <c>snapshot.bin</c> (the state up to an operation number, written by compaction) and
/// <c>wal.log</c> (every write since). Holds <c>LOCK</c> exclusively so two emulators never share a folder.
/// </summary>
internal sealed class StorageFiles : IDisposable
{
    private const int PointsPerRestoreRecord = 512;

    private readonly ILogger logger;
    private readonly FileStream lockFile;
    private FileStream? wal;

    public StorageFiles(string storagePath, ILogger logger)
    {
        this.logger = logger;
        Folder = Path.GetFullPath(Path.Combine(storagePath, "qdrant-emulator"));
        Directory.CreateDirectory(Folder);
        try
        {
            lockFile = new FileStream(Path.Combine(Folder, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The storage folder '{Folder}' is in use by another emulator (QDRANT__STORAGE__STORAGE_PATH / --storage-path).", e);
        }
    }

    public string Folder { get; }

    public string WalPath => Path.Combine(Folder, "wal.log");

    public string SnapshotPath => Path.Combine(Folder, "snapshot.bin");

    public long WalLength => wal?.Length ?? 0;

    /// <summary>Size of the last snapshot written; the log is compacted only once it outgrows this too, so compaction stays linear.</summary>
    public long SnapshotLength { get; private set; }

    /// <summary>Loads the snapshot, then replays the log after it. Runs before the server opens.</summary>
    public void Recover(EmulatorStore store)
    {
        File.Delete(SnapshotPath + ".tmp");
        var snapshotUpTo = LoadSnapshot(store);
        var replayed = 0;
        var skippedFailures = 0;
        var result = new LogFormat.ReadResult();
        if (File.Exists(WalPath))
        {
            using var stream = new FileStream(WalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            foreach (var entry in LogFormat.Read(stream, result))
            {
                // Records at or below the snapshot's operation number are already in it (a crash can leave them behind).
                if (entry.OperationId <= snapshotUpTo)
                {
                    continue;
                }

                replayed++;
                if (!TryApply(store, entry))
                {
                    skippedFailures++;
                }
            }

            if (result.StoppedAt is { } offset)
            {
                logger.LogWarning(
                    "Write-ahead log {Path}: ignored {Bytes} bytes from offset {Offset} ({Reason}); {Records} complete records were kept. A process killed mid-write leaves this behind.",
                    WalPath, stream.Length - offset, offset, result.StopReason, result.Records);
            }
        }

        logger.LogInformation(
            "Recovered {Collections} collections: snapshot up to operation {SnapshotUpTo}, then {Replayed} log records ({Failed} had failed when first applied too).",
            store.Collections.Count(), snapshotUpTo, replayed, skippedFailures);
    }

    /// <summary>Opens the log for appending, after recovery and compaction.</summary>
    public void OpenWal()
    {
        wal = new FileStream(WalPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        wal.Seek(0, SeekOrigin.End);
    }

    public void Append(byte[] frame) => Wal.Write(frame);

    /// <summary>Flushes the log to the disk itself (fsync), not just to the OS.</summary>
    public void Flush() => Wal.Flush(flushToDisk: true);

    /// <summary>
    /// Rewrites the whole state as a snapshot and empties the log. Write to a temporary file, fsync, rename over the
    /// old snapshot, and only then truncate the log: a crash at any step leaves a snapshot plus a log that replays to
    /// the same state.
    /// </summary>
    public void Compact(EmulatorStore store)
    {
        var temporary = SnapshotPath + ".tmp";
        var upTo = store.LastOperationId;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var collection in store.Collections)
            {
                stream.Write(LogFormat.Encode(upTo, new WriteCommand(LogKind.RestoreCollection, collection.Definition)));
                foreach (var index in collection.PayloadSchema)
                {
                    stream.Write(LogFormat.Encode(upTo, new WriteCommand(LogKind.CreateFieldIndex, FieldIndexRecord(collection.Name, index.Key, index.Value))));
                }

                foreach (var chunk in collection.Points.Values.Chunk(PointsPerRestoreRecord))
                {
                    var message = new SearchResponse();
                    message.Result.AddRange(chunk.Select(PointRecords.ToScoredPoint));
                    stream.Write(LogFormat.Encode(upTo, new WriteCommand(LogKind.RestorePoints, message, collection.Name)));
                }
            }

            stream.Write(LogFormat.Encode(upTo, WriteCommand.SnapshotEnd()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, SnapshotPath, overwrite: true);
        DirectorySync.Flush(Folder);
        SnapshotLength = new FileInfo(SnapshotPath).Length;
        if (wal is null)
        {
            using (var truncate = new FileStream(WalPath, FileMode.Create, FileAccess.Write, FileShare.Read))
            {
                truncate.Flush(flushToDisk: true);
            }

            // The log may have just been created: make its directory entry durable too.
            DirectorySync.Flush(Folder);
        }
        else
        {
            wal.SetLength(0);
            wal.Flush(flushToDisk: true);
        }

        logger.LogInformation("Compacted storage into {Path} up to operation {OperationId}.", SnapshotPath, upTo);
    }

    public void Dispose()
    {
        wal?.Dispose();
        lockFile.Dispose();
    }

    private FileStream Wal => wal ?? throw new InvalidOperationException("The write-ahead log is not open yet.");

    private ulong LoadSnapshot(EmulatorStore store)
    {
        if (!File.Exists(SnapshotPath))
        {
            return 0;
        }

        using var stream = new FileStream(SnapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var result = new LogFormat.ReadResult();
        ulong? upTo = null;
        foreach (var entry in LogFormat.Read(stream, result))
        {
            if (entry.Command.Kind == LogKind.SnapshotEnd)
            {
                upTo = entry.OperationId;
                break;
            }

            store.Apply(entry.Command, entry.OperationId);
        }

        // The snapshot is renamed into place only once complete, so a damaged one is not a crash artefact: refuse to guess.
        return upTo ?? throw new InvalidDataException(
            $"The snapshot {SnapshotPath} is damaged ({result.StopReason ?? "no end record"} at offset {result.StoppedAt}). Move it away to start empty.");
    }

    private bool TryApply(EmulatorStore store, LogEntry entry)
    {
        try
        {
            store.Apply(entry.Command, entry.OperationId);
            return true;
        }
        catch (global::Grpc.Core.RpcException e)
        {
            // The write failed the same way when it was first applied (and the caller got that error); replay agrees.
            logger.LogDebug("Replayed operation {OperationId} fails as it did originally: {Detail}", entry.OperationId, e.Status.Detail);
            store.MarkReplayed(entry.OperationId);
            return false;
        }
    }

    private static CreateFieldIndexCollection FieldIndexRecord(string collection, string field, PayloadSchemaInfo info)
    {
        var record = new CreateFieldIndexCollection { CollectionName = collection, FieldName = field };
        if (info.DataType != PayloadSchemaType.UnknownType)
        {
            record.FieldType = (FieldType)((int)info.DataType - 1);
        }

        if (info.Params is not null)
        {
            record.FieldIndexParams = info.Params;
        }

        return record;
    }
}
