using System.Net;
using System.Net.Sockets;
using QdrantEmulator.Hosting;

namespace PoolWorker.Tests.Support;

/// <summary>
/// An in-process QdrantEmulator on a fixed loopback port (chosen free at start) so it can be stopped and started
/// again on the same port and folder, as the recovery scenario needs.
/// </summary>
public sealed class BenchmarkEmulator : IAsyncLifetime
{
    public const string ApiKey = "poolworker-test-key";

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "poolworker-tests-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();
    private EmulatorHost? _host;

    public Uri Endpoint => new($"http://127.0.0.1:{_port}");

    public int Restarts { get; private set; }

    public async Task InitializeAsync() => _host = await StartAsync();

    /// <summary>Stops the server (its connections break) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await _host!.DisposeAsync();
        _host = await StartAsync();
        Restarts++;
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

    private Task<EmulatorHost> StartAsync() => EmulatorHost.StartAsync(new EmulatorSettings
    {
        Host = "127.0.0.1",
        GrpcPort = _port,
        HttpPort = 0,
        ApiKey = ApiKey,
        StoragePath = _storage,
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
