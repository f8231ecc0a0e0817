using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using QdrantEmulator.Grpc;

namespace QdrantEmulator.Storage;

/// <summary>
/// The single writer. Callers enqueue a write and await it; one loop drains whatever has queued up, appends it all to
/// the log, fsyncs once for the whole batch (group commit), applies each write in log order, and only then completes
/// the callers. So every answered write is on disk, and concurrent writers share one flush.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<PendingWrite> channel = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly EmulatorStore store;
    private readonly StorageFiles files;
    private readonly long compactionThreshold;
    private readonly ILogger logger;
    private readonly Task loop;

    public WriteQueue(EmulatorStore store, StorageFiles files, long compactionThreshold, ILogger logger)
    {
        this.store = store;
        this.files = files;
        this.compactionThreshold = compactionThreshold;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Number of fsyncs so far; with concurrent writers it stays below the number of writes.</summary>
    public long FlushCount => Interlocked.Read(ref flushCount);

    private long flushCount;

    /// <summary>Logs, flushes and applies the write; completes with its operation number and result once durable.</summary>
    public Task<WriteOutcome> SubmitAsync(WriteCommand command)
    {
        // Serialise on the caller's thread so big upserts do not queue behind each other's encoding.
        var message = Google.Protobuf.MessageExtensions.ToByteArray(command.Message);
        var pending = new PendingWrite(command, message);
        if (!channel.Writer.TryWrite(pending))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The emulator is shutting down."));
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<(PendingWrite Write, ulong OperationId)>(MaxBatch);
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var next = store.LastOperationId;
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add((write, ++next));
            }

            try
            {
                if (TryMakeDurable(batch))
                {
                    ApplyInOrder(batch);
                    CompactIfLarge();
                }
            }
            catch (Exception e)
            {
                // Never let the loop die: every later write would wait forever. Whatever is still pending fails.
                logger.LogError(e, "The writer failed on a batch of {Count} writes.", batch.Count);
                foreach (var (write, _) in batch)
                {
                    write.Completion.TrySetException(QdrantErrors.Internal(e.Message));
                }
            }
        }
    }

    private void ApplyInOrder(List<(PendingWrite Write, ulong OperationId)> batch)
    {
        foreach (var (write, operationId) in batch)
        {
            try
            {
                var result = store.Apply(write.Command, operationId);
                write.Completion.TrySetResult(new WriteOutcome(operationId, result));
            }
            catch (RpcException e)
            {
                write.Completion.TrySetException(e);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Applying operation {OperationId} ({Kind}) failed.", operationId, write.Command.Kind);
                write.Completion.TrySetException(QdrantErrors.Internal(e.Message));
            }
        }
    }

    private bool TryMakeDurable(List<(PendingWrite Write, ulong OperationId)> batch)
    {
        try
        {
            foreach (var (write, operationId) in batch)
            {
                files.Append(LogFormat.Encode(write.Command.Kind, operationId, write.Command.Collection, write.Message));
            }

            files.Flush();
            Interlocked.Increment(ref flushCount);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Writing the log in {Folder} failed; {Count} writes were refused.", files.Folder, batch.Count);

            // Some frames may have reached the file whole: never hand their operation numbers out again.
            store.MarkReplayed(batch[^1].OperationId);
            foreach (var (write, _) in batch)
            {
                write.Completion.TrySetException(QdrantErrors.Internal($"cannot write the log: {e.Message}"));
            }

            return false;
        }
    }

    private void CompactIfLarge()
    {
        // Rewriting the snapshot costs its size, so wait until the log is at least as large: total work stays linear.
        if (files.WalLength < Math.Max(compactionThreshold, files.SnapshotLength))
        {
            return;
        }

        try
        {
            files.Compact(store);
        }
        catch (Exception e)
        {
            // The log still holds everything; compaction is retried after the next batch.
            logger.LogWarning(e, "Compacting the storage in {Folder} failed.", files.Folder);
        }
    }

    private sealed class PendingWrite(WriteCommand command, byte[] message)
    {
        public WriteCommand Command { get; } = command;

        public byte[] Message { get; } = message;

        public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The operation number a write got, and its boolean result (false: a delete of a missing collection).</summary>
internal readonly record struct WriteOutcome(ulong OperationId, bool Result);
