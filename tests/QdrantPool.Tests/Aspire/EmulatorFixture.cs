using QdrantEmulator.Hosting;

namespace QdrantPool.Tests.Aspire;

/// <summary>The Qdrant emulator in-process on loopback port 0, with an API key, shared by one test class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string ApiKey = "aspire-tests-key";

    private readonly string _storagePath = Path.Combine(Path.GetTempPath(), "qdrant-pool-aspire-tests", Guid.NewGuid().ToString("N"));
    private EmulatorHost? _emulator;

    public Uri GrpcEndpoint => _emulator?.GrpcEndpoint ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() =>
        _emulator = await EmulatorHost.StartAsync(new EmulatorSettings
        {
            ApiKey = ApiKey,
            GrpcPort = 0,
            HttpPort = 0,
            StoragePath = _storagePath,
        });

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (Directory.Exists(_storagePath))
        {
            Directory.Delete(_storagePath, recursive: true);
        }
    }
}
