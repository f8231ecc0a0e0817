using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly;
using Polly.Registry;
using Qdrant.Client;

namespace QdrantPool.Tests.Aspire;

/// <summary>What the integration registers besides the pool: the drop-in QdrantClient and the pipeline in Polly's registry.</summary>
public sealed class PooledQdrantClientRegistrationTests
{
    private static readonly (string, string?) QdrantConnection = ("ConnectionStrings:qdrant", $"Endpoint={AspireTestHost.Endpoint};Key=k");

    [Fact]
    public void AddQdrantConnectionPool_Default_RegistersASingletonQdrantClientOverThePool()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant");
        using var host = builder.Build();

        var client = host.Services.GetRequiredService<QdrantClient>();

        Assert.Same(client, host.Services.GetRequiredService<QdrantClient>());
    }

    [Fact]
    public void AddKeyedQdrantConnectionPool_Default_RegistersAKeyedQdrantClientPerPool()
    {
        using var host = AspireTestHost.BuildWithPrimaryAndReplica();

        var primary = host.Services.GetRequiredKeyedService<QdrantClient>("primary");
        var replica = host.Services.GetRequiredKeyedService<QdrantClient>("replica");

        Assert.NotSame(primary, replica);
        Assert.Null(host.Services.GetService<QdrantClient>());
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableQdrantClient_RegistersNoQdrantClient()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant", settings => settings.DisableQdrantClient = true);

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(QdrantClient));
    }

    [Fact]
    public void AddQdrantConnectionPool_DisableQdrantClientFromConfiguration_RegistersNoQdrantClient()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection, ("Aspire:Qdrant:Pool:DisableQdrantClient", "true"));
        builder.AddKeyedQdrantConnectionPool("qdrant");

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(QdrantClient));
    }

    [Fact]
    public void Resolve_QdrantClientOverAPoolOfTheAppsOwn_ThrowsNamingTheSwitch()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant");
        builder.Services.AddSingleton<IQdrantConnectionPool>(new OtherPool());
        using var host = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<QdrantClient>());

        Assert.Contains("DisableQdrantClient", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineKey_PoolName_IsQdrantPoolColonName()
    {
        Assert.Equal("QdrantPool:memories", QdrantPoolResilience.PipelineKey("memories"));
        Assert.Throws<ArgumentException>(() => QdrantPoolResilience.PipelineKey(""));
    }

    [Fact]
    public void AddQdrantConnectionPool_Default_RegistersThePipelineAndThePoolUsesIt()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant");
        using var host = builder.Build();

        var registered = host.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline("QdrantPool:qdrant");
        var pool = (QdrantConnectionPool)host.Services.GetRequiredService<IQdrantConnectionPool>();

        Assert.Same(registered, pool.Pipeline);
    }

    [Fact]
    public void AddQdrantConnectionPool_AppRegisteredThePipelineFirst_TheAppsPipelineWins()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        var appPipelineBuilt = false;
        builder.Services.AddResiliencePipeline("QdrantPool:qdrant", _ => appPipelineBuilt = true);
        builder.AddQdrantConnectionPool("qdrant", settings => settings.MaxRetryAttempts = 0);
        using var host = builder.Build();

        var pool = (QdrantConnectionPool)host.Services.GetRequiredService<IQdrantConnectionPool>();

        Assert.True(appPipelineBuilt);
        Assert.Same(host.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline("QdrantPool:qdrant"), pool.Pipeline);
    }

    [Fact]
    public void AddQdrantConnectionPool_AppRegistersThePipelineAfter_TheIntegrationsPipelineWins()
    {
        var builder = AspireTestHost.CreateBuilder(QdrantConnection);
        builder.AddQdrantConnectionPool("qdrant");
        var appPipelineBuilt = false;
        builder.Services.AddResiliencePipeline("QdrantPool:qdrant", _ => appPipelineBuilt = true);
        using var host = builder.Build();

        _ = host.Services.GetRequiredService<IQdrantConnectionPool>();

        Assert.False(appPipelineBuilt);
    }

    [Fact]
    public async Task NewPoolWithoutDependencyInjection_BuildsItsPipelineFromItsOptions()
    {
        await using var pool = new QdrantConnectionPool(new QdrantConnectionPoolOptions { Name = "plain", Endpoint = new Uri(AspireTestHost.Endpoint) });

        Assert.NotSame(ResiliencePipeline.Empty, pool.Pipeline);
        Assert.NotNull(pool.Pipeline);
    }

    private sealed class OtherPool : IQdrantConnectionPool
    {
        public string Name => "other";

        public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<QdrantLease> AcquireAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask ReleaseAsync(QdrantLease lease) => ValueTask.CompletedTask;

        public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool idempotent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool idempotent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public PoolStats GetStats() => throw new NotSupportedException();

        public Task ClearAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
