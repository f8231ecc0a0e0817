using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using QdrantPool.Tests.Integration;

namespace QdrantPool.Tests.Aspire;

/// <summary>The registered health check against a real server over loopback sockets.</summary>
public sealed class QdrantPoolHealthCheckEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HealthCheck_RightKey_Healthy()
    {
        var report = await RunHealthChecksAsync(builder => builder.AddQdrantConnectionPool("qdrant"), ConnectionString("qdrant", EmulatorFixture.ApiKey));

        var entry = Assert.Single(report.Entries);
        Assert.Equal("QdrantPool", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
    }

    [Fact]
    public async Task HealthCheck_WrongKey_Unhealthy()
    {
        var report = await RunHealthChecksAsync(builder => builder.AddQdrantConnectionPool("qdrant"), ConnectionString("qdrant", "not-the-key"));

        var entry = Assert.Single(report.Entries);
        Assert.Equal(HealthStatus.Unhealthy, entry.Value.Status);
    }

    [Fact]
    public async Task HealthCheck_NoKey_Unhealthy()
    {
        var report = await RunHealthChecksAsync(
            builder => builder.AddQdrantConnectionPool("qdrant"),
            ("ConnectionStrings:qdrant", emulator.Endpoint.ToString()));

        Assert.Equal(HealthStatus.Unhealthy, Assert.Single(report.Entries).Value.Status);
    }

    [Fact]
    public async Task HealthCheck_KeyedPools_EachJudgedOnItsOwnKey()
    {
        var report = await RunHealthChecksAsync(
            builder =>
            {
                builder.AddKeyedQdrantConnectionPool("good");
                builder.AddKeyedQdrantConnectionPool("bad");
            },
            ConnectionString("good", EmulatorFixture.ApiKey),
            ConnectionString("bad", "not-the-key"));

        Assert.Equal(HealthStatus.Healthy, report.Entries["QdrantPool_good"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["QdrantPool_bad"].Status);
    }

    [Fact]
    public async Task Resolve_ConfiguredFromConnectionString_LeaseCallsTheServer()
    {
        var builder = AspireTestHost.CreateBuilder(ConnectionString("qdrant", EmulatorFixture.ApiKey));
        builder.AddQdrantConnectionPool("qdrant", settings => settings.MaxLeasesPerConnection = 1);
        using var host = builder.Build();
        var pool = host.Services.GetRequiredService<IQdrantConnectionPool>();

        await using (var lease = await pool.AcquireAsync())
        {
            var collections = await lease.Client.ListCollectionsAsync();
            Assert.NotNull(collections);
        }

        Assert.Equal(0, pool.GetStats().ActiveLeases);
    }

    [Fact]
    public async Task StartHost_Default_WarmsThePoolToMinSize()
    {
        var builder = AspireTestHost.CreateBuilder(ConnectionString("qdrant", EmulatorFixture.ApiKey));
        builder.AddQdrantConnectionPool("qdrant", settings => settings.MinSize = 2);
        using var host = builder.Build();
        var pool = host.Services.GetRequiredService<IQdrantConnectionPool>();

        await host.StartAsync();
        try
        {
            await WaitForAsync(() => pool.GetStats().ConnectionsCreated >= 2, "the warm-up to open MinSize connections");
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.Equal(2, pool.GetStats().IdleConnections);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.False(cts.IsCancellationRequested, $"Timed out waiting for {what}.");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private (string, string?) ConnectionString(string name, string key) => ($"ConnectionStrings:{name}", $"Endpoint={emulator.Endpoint};Key={key}");

    private static async Task<HealthReport> RunHealthChecksAsync(Action<HostApplicationBuilder> register, params (string Key, string? Value)[] configuration)
    {
        var builder = AspireTestHost.CreateBuilder(configuration);
        register(builder);
        using var host = builder.Build();
        using var cts = new CancellationTokenSource(Timeout);
        return await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(cts.Token);
    }
}
