using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using QdrantEmulator.Hosting;

namespace AppHost.Tests;

/// <summary>The AppHost's Qdrant health check against a real emulator on loopback that requires a key.</summary>
public sealed class QdrantAuthenticatedHealthCheckTests : IAsyncLifetime
{
    private const string ServerKey = "the-right-key";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"apphost-healthcheck-{Guid.NewGuid():N}");
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() =>
        _emulator = await EmulatorHost.StartAsync(
            new EmulatorSettings { ApiKey = ServerKey, GrpcPort = 0, HttpPort = 0, StoragePath = _storage }).WaitAsync(Timeout);

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
    }

    [Fact]
    public async Task CheckHealthAsync_WrongKey_IsUnhealthyAndSaysTheKeyWasRejected()
    {
        var result = await CheckAsync($"Endpoint={_emulator.GrpcEndpoint};Key=a-different-key");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("rejected the API key", result.Description, StringComparison.Ordinal);
        Assert.Contains("Unauthenticated", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_NoKey_IsUnhealthy()
    {
        var result = await CheckAsync($"Endpoint={_emulator.GrpcEndpoint}");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("rejected the API key", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_RightKey_IsHealthy()
    {
        var result = await CheckAsync($"Endpoint={_emulator.GrpcEndpoint};Key={ServerKey}");

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_NothingListening_IsUnhealthy()
    {
        var result = await CheckAsync($"Endpoint=http://127.0.0.1:{FreePort()};Key={ServerKey}");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("did not answer", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_ConnectionStringNotKnownYet_IsUnhealthy()
    {
        var result = await CheckAsync(connectionString: null);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not available yet", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_MalformedConnectionString_IsUnhealthyAndSaysWhatIsExpected()
    {
        var result = await CheckAsync("Key=only-a-key");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("Endpoint=http://host:6334;Key=...", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterAConnectionThatNeverAnswered_RecoversOnTheSameEndpoint()
    {
        // Aspire's endpoint proxy accepts TCP before the server behind it listens; a listener that accepts and
        // never answers plays that part. The check must not keep the dead HTTP/2 connection for the next call.
        var storage = Path.Combine(Path.GetTempPath(), $"apphost-healthcheck-{Guid.NewGuid():N}");
        var port = FreePort();
        var connectionString = $"Endpoint=http://127.0.0.1:{port};Key={ServerKey}";
        using var check = new QdrantAuthenticatedHealthCheck(_ => ValueTask.FromResult<string?>(connectionString));

        var blackHole = new TcpListener(IPAddress.Loopback, port);
        blackHole.Start();
        var held = new List<TcpClient>();
        var accepting = AcceptForeverAsync(blackHole, held);
        try
        {
            using var shortBound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var hung = await check.CheckHealthAsync(Context(check), shortBound.Token).WaitAsync(Timeout);
            Assert.Equal(HealthStatus.Unhealthy, hung.Status);
            Assert.Contains("in time", hung.Description, StringComparison.Ordinal);
        }
        finally
        {
            blackHole.Stop();
            held.ForEach(client => client.Dispose());
            await accepting;
        }

        await using var server = await EmulatorHost.StartAsync(
            new EmulatorSettings { ApiKey = ServerKey, GrpcPort = port, HttpPort = 0, StoragePath = storage }).WaitAsync(Timeout);
        try
        {
            var recovered = await check.CheckHealthAsync(Context(check)).WaitAsync(Timeout);

            Assert.Equal(HealthStatus.Healthy, recovered.Status);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(storage, recursive: true);
        }
    }

    private static async Task<HealthCheckResult> CheckAsync(string? connectionString)
    {
        using var check = new QdrantAuthenticatedHealthCheck(_ => ValueTask.FromResult(connectionString));
        return await check.CheckHealthAsync(Context(check)).WaitAsync(Timeout);
    }

    private static HealthCheckContext Context(IHealthCheck check) => new()
    {
        Registration = new HealthCheckRegistration("qdrant_qdrant_check", check, failureStatus: null, tags: null),
    };

    private static async Task AcceptForeverAsync(TcpListener listener, List<TcpClient> held)
    {
        try
        {
            // Bounded by the listener: Stop() ends the loop.
            while (true)
            {
                held.Add(await listener.AcceptTcpClientAsync());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
