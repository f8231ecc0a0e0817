using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace QdrantPool.Tests.Aspire;

public sealed class QdrantConnectionPoolExtensionsTests
{
    private static readonly (string, string?) QdrantConnection = ("ConnectionStrings:qdrant", $"Endpoint={AspireTestHost.Endpoint};Key=k");

    [Fact]
    public void AddQdrantConnectionPool_NoEndpoint_RegistersWithoutThrowing()
    {
        var builder = AspireTestHost.CreateBuilder();

        builder.AddQdrantConnectionPool("qdrant");
        using var host = builder.Build();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IQdrantConnectionPool));
    }

    [Fact]
    public void Resolve_NoEndpoint_ThrowsNamingEveryConfigurationKey()
    {
        var builder = AspireTestHost.CreateBuilder();
        builder.AddQdrantConnectionPool("vectors");
        using var host = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IQdrantConnectionPool>());

        Assert.Contains("'ConnectionStrings:vectors'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Aspire:Qdrant:Pool:vectors:Endpoint'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Aspire:Qdrant:Pool:Endpoint'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyedNoEndpoint_ThrowsNamingItsConnectionString()
    {
        var builder = AspireTestHost.CreateBuilder();
        builder.AddKeyedQdrantConnectionPool("archive");
        using var host = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("archive"));

        Assert.Contains("'ConnectionStrings:archive'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Unkeyed_SingletonNamedAfterConnection()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant");
        using var host = builder.Build();

        var first = host.Services.GetRequiredService<IQdrantConnectionPool>();

        Assert.Same(first, host.Services.GetRequiredService<IQdrantConnectionPool>());
        Assert.Equal("qdrant", first.Name);
    }

    [Fact]
    public void Resolve_TwoKeyedPools_DistinctAndNotResolvableWithoutKey()
    {
        using var host = AspireTestHost.BuildWithPrimaryAndReplica();

        var primary = host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("primary");
        var replica = host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("replica");

        Assert.NotSame(primary, replica);
        Assert.Equal("primary", primary.Name);
        Assert.Equal("replica", replica.Name);
        Assert.Same(primary, host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("primary"));
        Assert.Null(host.Services.GetService<IQdrantConnectionPool>());
    }

    [Fact]
    public void Resolve_KeyedAndUnkeyed_AreDifferentPools()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection, ("ConnectionStrings:archive", "http://127.0.0.1:6336"));
        builder.AddQdrantConnectionPool("qdrant");
        builder.AddKeyedQdrantConnectionPool("archive");
        using var host = builder.Build();

        Assert.NotSame(
            host.Services.GetRequiredService<IQdrantConnectionPool>(),
            host.Services.GetRequiredKeyedService<IQdrantConnectionPool>("archive"));
    }

    [Fact]
    public async Task DisposeHost_ResolvedPool_IsDisposedWithTheContainer()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant", settings => settings.MinSize = 0);
        var host = builder.Build();
        var pool = host.Services.GetRequiredService<IQdrantConnectionPool>();

        await ((IAsyncDisposable)host).DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.AcquireAsync());
    }

    [Fact]
    public void AddQdrantConnectionPool_Default_RegistersHealthCheckNamedQdrantPool()
    {
        var registrations = HealthCheckRegistrations(builder => builder.AddQdrantConnectionPool("qdrant"));

        var registration = Assert.Single(registrations);
        Assert.Equal("QdrantPool", registration.Name);
        Assert.Equal(HealthStatus.Unhealthy, registration.FailureStatus);
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableHealthChecks_RegistersNoHealthCheck()
    {
        var registrations = HealthCheckRegistrations(builder => builder.AddQdrantConnectionPool("qdrant", s => s.DisableHealthChecks = true));

        Assert.Empty(registrations);
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableHealthChecksFromConfiguration_RegistersNoHealthCheck()
    {
        var registrations = HealthCheckRegistrations(
            builder => builder.AddQdrantConnectionPool("qdrant"),
            ("Aspire:Qdrant:Pool:DisableHealthChecks", "true"));

        Assert.Empty(registrations);
    }

    [Fact]
    public void AddKeyedQdrantConnectionPool_TwoNames_OneHealthCheckEach()
    {
        var registrations = HealthCheckRegistrations(builder =>
        {
            builder.AddKeyedQdrantConnectionPool("primary");
            builder.AddKeyedQdrantConnectionPool("replica");
        });

        Assert.Equal(["QdrantPool_primary", "QdrantPool_replica"], registrations.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AddQdrantConnectionPool_Twice_HealthCheckRegisteredOnce()
    {
        var registrations = HealthCheckRegistrations(builder =>
        {
            builder.AddQdrantConnectionPool("qdrant");
            builder.AddQdrantConnectionPool("qdrant");
        });

        Assert.Single(registrations);
    }

    [Fact]
    public void AddQdrantConnectionPool_HealthCheckTimeout_SetOnRegistration()
    {
        var registrations = HealthCheckRegistrations(
            builder => builder.AddQdrantConnectionPool("qdrant"),
            ("Aspire:Qdrant:Pool:HealthCheckTimeout", "00:00:04"));

        Assert.Equal(TimeSpan.FromSeconds(4), Assert.Single(registrations).Timeout);
    }

    [Fact]
    public void HealthCheckRegistration_Keyed_CreatesCheckOverTheKeyedPool()
    {
        var builder = AspireTestHost.CreateBuilder(("ConnectionStrings:primary", "http://127.0.0.1:6334"));
        builder.AddKeyedQdrantConnectionPool("primary");
        using var host = builder.Build();
        var registration = Assert.Single(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);

        var check = registration.Factory(host.Services);

        Assert.IsType<QdrantPoolHealthCheck>(check);
        Assert.Null(host.Services.GetService<IQdrantConnectionPool>());
    }

    [Fact]
    public void AddQdrantConnectionPool_Default_AddsMeterAndActivitySource()
    {
        var (host, probe) = BuildWithTelemetryProbe(builder => builder.AddQdrantConnectionPool("qdrant"));
        using (host)
        {
            Assert.True(probe.MeterCollected(host.Services));
            Assert.True(probe.SourceCollected(host.Services));
            Assert.Equal("QdrantPool", QdrantConnectionPool.TelemetryName);
        }
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableMetrics_AddsNoMeterButKeepsTracing()
    {
        var (host, probe) = BuildWithTelemetryProbe(builder => builder.AddQdrantConnectionPool("qdrant", settings => settings.DisableMetrics = true));
        using (host)
        {
            Assert.False(probe.MeterCollected(host.Services));
            Assert.True(probe.SourceCollected(host.Services));
        }
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableTracing_AddsNoActivitySourceButKeepsMetrics()
    {
        var (host, probe) = BuildWithTelemetryProbe(
            builder => builder.AddQdrantConnectionPool("qdrant"),
            ("Aspire:Qdrant:Pool:DisableTracing", "true"));
        using (host)
        {
            Assert.False(probe.SourceCollected(host.Services));
            Assert.True(probe.MeterCollected(host.Services));
        }
    }

    [Fact]
    public void AddKeyedQdrantConnectionPool_Default_AddsMeterAndActivitySource()
    {
        var (host, probe) = BuildWithTelemetryProbe(builder => builder.AddKeyedQdrantConnectionPool("archive"));
        using (host)
        {
            Assert.True(probe.MeterCollected(host.Services));
            Assert.True(probe.SourceCollected(host.Services));
        }
    }

    [Fact]
    public void AddQdrantConnectionPool_Default_RegistersOneWarmupServicePerPool()
    {
        var builder = AspireTestHost.CreateBuilder();
        builder.AddQdrantConnectionPool("qdrant");
        builder.AddQdrantConnectionPool("qdrant");
        builder.AddKeyedQdrantConnectionPool("archive");
        using var host = builder.Build();

        Assert.Equal(2, host.Services.GetServices<IHostedService>().OfType<QdrantPoolWarmupService>().Count());
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableWarmup_RegistersNoWarmupService()
    {
        var builder = AspireTestHost.CreateBuilder();
        builder.AddQdrantConnectionPool("qdrant", settings => settings.DisableWarmup = true);
        using var host = builder.Build();

        Assert.Empty(host.Services.GetServices<IHostedService>().OfType<QdrantPoolWarmupService>());
    }

    [Fact]
    public async Task StartHost_NoEndpoint_WarmupLogsAWarningAndTheHostRuns()
    {
        var warned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = AspireTestHost.CreateBuilder();
        builder.Services.AddFakeLogging(options => options.OutputSink = line =>
        {
            if (line.Contains("Warming up the Qdrant connection pool", StringComparison.Ordinal))
            {
                warned.TrySetResult();
            }
        });
        builder.AddQdrantConnectionPool("qdrant");
        using var host = builder.Build();

        await host.StartAsync();
        await warned.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await host.StopAsync();

        var records = host.Services.GetFakeLogCollector().GetSnapshot();
        var warning = Assert.Single(records, r => r.Category == typeof(QdrantPoolWarmupService).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'qdrant'", warning.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(warning.Exception);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Error); // the host saw no failed service
    }

    private static (IHost Host, TelemetryProbe Probe) BuildWithTelemetryProbe(
        Action<HostApplicationBuilder> register, params (string Key, string? Value)[] configuration)
    {
        var builder = AspireTestHost.CreateBuilder(configuration);
        var probe = new TelemetryProbe();
        probe.AddTo(builder.Services);
        register(builder);
        return (builder.Build(), probe);
    }

    private static IReadOnlyList<HealthCheckRegistration> HealthCheckRegistrations(
        Action<HostApplicationBuilder> register, params (string Key, string? Value)[] configuration)
    {
        var builder = AspireTestHost.CreateBuilder(configuration);
        register(builder);
        using var host = builder.Build();
        return [.. host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations];
    }
}
