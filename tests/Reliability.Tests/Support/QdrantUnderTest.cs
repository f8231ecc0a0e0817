using QdrantEmulator.Hosting;

namespace Reliability.Tests.Support;

/// <summary>
/// The Qdrant a reliability test talks to: with <c>QDRANT_TEST_ENDPOINT</c> (and <c>QDRANT_TEST_API_KEY</c>) set, that
/// server, as the conformance suite does; otherwise the emulator in-process on loopback, port 0, with an API key and a
/// temporary folder. The emulator can be stopped and started again on the same port and folder.
/// </summary>
internal sealed class QdrantUnderTest : IAsyncDisposable
{
    public const string EndpointVariable = "QDRANT_TEST_ENDPOINT";
    public const string ApiKeyVariable = "QDRANT_TEST_API_KEY";
    private const string EmulatorKey = "reliability-qdrant-key";

    private readonly string? _storage;
    private EmulatorHost? _emulator;
    private int _port;

    private QdrantUnderTest(Uri endpoint, string? apiKey, string? storage)
    {
        Endpoint = endpoint;
        ApiKey = apiKey;
        _storage = storage;
        _port = endpoint.Port;
    }

    public Uri Endpoint { get; private set; }

    public string? ApiKey { get; }

    public bool IsEmulator => _storage is not null;

    /// <param name="emulatorKey">The emulator's key (a real Qdrant's comes from QDRANT_TEST_API_KEY).</param>
    public static async Task<QdrantUnderTest> StartAsync(string emulatorKey = EmulatorKey)
    {
        var external = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrEmpty(external))
        {
            return new QdrantUnderTest(new Uri(external), Environment.GetEnvironmentVariable(ApiKeyVariable), storage: null);
        }

        var storage = Path.Combine(Path.GetTempPath(), "reliability-tests-" + Guid.NewGuid().ToString("N"));
        var qdrant = new QdrantUnderTest(new Uri("http://127.0.0.1:0"), emulatorKey, storage) { _port = 0 };
        await qdrant.StartEmulatorAsync();
        return qdrant;
    }

    /// <summary>Stops the in-process emulator (its port then refuses connections).</summary>
    public async Task StopAsync()
    {
        if (_emulator is { } emulator)
        {
            _emulator = null;
            await emulator.DisposeAsync();
        }
    }

    /// <summary>Starts the emulator again on the same port and folder.</summary>
    public Task RestartAsync() => _emulator is null ? StartEmulatorAsync() : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_storage is not null)
        {
            try
            {
                Directory.Delete(_storage, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private async Task StartEmulatorAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorSettings
        {
            Host = "127.0.0.1",
            GrpcPort = _port,
            HttpPort = 0,
            ApiKey = ApiKey,
            StoragePath = _storage!,
        });
        Endpoint = _emulator.GrpcEndpoint;
        _port = Endpoint.Port;
    }
}
