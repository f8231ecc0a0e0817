using Microsoft.Extensions.Logging;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Storage;

/// <summary>The store, its files and its writer, opened together: recovery and compaction happen in <see cref="Open"/>.</summary>
internal sealed class StorageEngine : IAsyncDisposable
{
    private StorageEngine(EmulatorStore store, StorageFiles files, WriteQueue writes)
    {
        Store = store;
        Files = files;
        Writes = writes;
    }

    public EmulatorStore Store { get; }

    public StorageFiles Files { get; }

    public WriteQueue Writes { get; }

    /// <summary>Recovers the folder's state, compacts it, and starts the writer. Call before the server opens.</summary>
    public static StorageEngine Open(EmulatorSettings settings, ILogger logger)
    {
        var files = new StorageFiles(settings.StoragePath, logger);
        try
        {
            var store = new EmulatorStore();
            files.Recover(store);

            // Compacting on every start also cuts off a torn tail, so new records never follow garbage.
            files.Compact(store);
            files.OpenWal();
            return new StorageEngine(store, files, new WriteQueue(store, files, settings.CompactionThresholdBytes, logger));
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Writes.DisposeAsync().ConfigureAwait(false);
        Files.Dispose();
    }
}
