using Microsoft.Extensions.Diagnostics.HealthChecks;
using Qdrant.Client;

namespace QdrantPool.Tests.Aspire;

public sealed class QdrantPoolHealthCheckTests
{
    [Theory]
    [InlineData(HealthStatus.Healthy)]
    [InlineData(HealthStatus.Degraded)]
    [InlineData(HealthStatus.Unhealthy)]
    public async Task CheckHealthAsync_PoolVerdict_PassedThroughWithData(HealthStatus status)
    {
        var data = new Dictionary<string, object> { ["ActiveLeases"] = 3 };
        var check = new QdrantPoolHealthCheck(new VerdictPool(() => new HealthCheckResult(status, "pool says so", data: data)));

        var result = await check.CheckHealthAsync(Context(HealthStatus.Unhealthy));

        Assert.Equal(status, result.Status);
        Assert.Equal("pool says so", result.Description);
        Assert.Equal(3, result.Data["ActiveLeases"]);
    }

    [Fact]
    public async Task CheckHealthAsync_UnhealthyWithMilderFailureStatus_ReportsFailureStatus()
    {
        var check = new QdrantPoolHealthCheck(new VerdictPool(() => HealthCheckResult.Unhealthy("key rejected")));

        var result = await check.CheckHealthAsync(Context(HealthStatus.Degraded));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("key rejected", result.Description);
    }

    [Fact]
    public async Task CheckHealthAsync_PoolThrows_ReportsFailureStatusWithException()
    {
        var failure = new InvalidOperationException("boom");
        var check = new QdrantPoolHealthCheck(new VerdictPool(() => throw failure));

        var result = await check.CheckHealthAsync(Context(HealthStatus.Unhealthy));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Same(failure, result.Exception);
        Assert.Contains("'verdict'", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_Canceled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var check = new QdrantPoolHealthCheck(new VerdictPool(() => throw new OperationCanceledException(cts.Token)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.CheckHealthAsync(Context(HealthStatus.Unhealthy), cts.Token));
    }

    private static HealthCheckContext Context(HealthStatus failureStatus) => new()
    {
        Registration = new HealthCheckRegistration("QdrantPool", _ => throw new NotSupportedException(), failureStatus, tags: null),
    };

    /// <summary>A pool whose only behaviour is the health verdict it is given.</summary>
    private sealed class VerdictPool(Func<HealthCheckResult> verdict) : IQdrantConnectionPool
    {
        public string Name => "verdict";

        public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(verdict());

        public ValueTask InitializeAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<QdrantLease> AcquireAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask ReleaseAsync(QdrantLease lease) => throw new NotSupportedException();


        public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool idempotent, CancellationToken cancellationToken = default) => throw new NotSupportedException();


        public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool idempotent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public PoolStats GetStats() => throw new NotSupportedException();

        public Task ClearAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
