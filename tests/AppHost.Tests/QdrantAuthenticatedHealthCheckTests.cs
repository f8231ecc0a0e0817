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

    private static Task<HealthCheckResult> CheckAsync(string? connectionString)
    {
        var check = new QdrantAuthenticatedHealthCheck(_ => ValueTask.FromResult(connectionString));
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("qdrant_qdrant_check", check, failureStatus: null, tags: null),
        };
        return check.CheckHealthAsync(context).WaitAsync(Timeout);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
