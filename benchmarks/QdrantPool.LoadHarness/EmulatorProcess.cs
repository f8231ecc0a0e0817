namespace MemoryAspire.Testing;

/// <summary>
/// The harness's start of the shared <see cref="EmulatorProcess"/> (tests/Shared): port 0, a temporary data folder
/// deleted on dispose; the server's CPU is not the harness's.
/// </summary>
internal sealed partial class EmulatorProcess
{
    public const string ApiKey = "load-harness-key";

    public static Task<EmulatorProcess> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(
            new EmulatorStart
            {
                StoragePath = Directory.CreateTempSubdirectory("qdrant-load-harness-").FullName,
                ApiKey = ApiKey,
                DeleteStorageOnDispose = true,
            },
            cancellationToken);
}
