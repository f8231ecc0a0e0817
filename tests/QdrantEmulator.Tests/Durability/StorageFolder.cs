namespace QdrantEmulator.Tests.Durability;

/// <summary>A temporary storage folder, deleted afterwards; knows where the emulator keeps its log.</summary>
internal sealed class StorageFolder : IDisposable
{
    public StorageFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qdrant-emulator-durability", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string WalPath => System.IO.Path.Combine(Path, "qdrant-emulator", "wal.log");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
