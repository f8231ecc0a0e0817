using QdrantEmulator.Hosting;

namespace QdrantPool.Tests.Integration;

/// <summary>One in-process QdrantEmulator on loopback port 0, with an API key: shared by the integration collection, and one per class for the Aspire tests that use it as a class fixture.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string ApiKey = "pool-test-key";

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "qdrantpool-tests-" + Guid.NewGuid().ToString("N"));
    private EmulatorHost? _host;

    public Uri Endpoint => _host?.GrpcEndpoint ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(new EmulatorSettings
        {
            Host = "127.0.0.1",
            GrpcPort = 0,
            HttpPort = 0,
            ApiKey = ApiKey,
            StoragePath = _storage,
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public QdrantConnectionPoolOptions Options(Action<QdrantConnectionPoolOptions>? configure = null)
    {
        var options = new QdrantConnectionPoolOptions
        {
            Name = "emulator-" + Guid.NewGuid().ToString("N")[..8],
            Endpoint = Endpoint,
            ApiKey = ApiKey,
        };
        configure?.Invoke(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "QdrantPool against the emulator";
}
