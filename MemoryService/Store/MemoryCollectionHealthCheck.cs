using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryService.Store;

/// <summary>Readiness: Healthy once the memory collection is ready, Unhealthy (saying why) before and when misconfigured.</summary>
internal sealed class MemoryCollectionHealthCheck(MemoryCollection collection) : IHealthCheck
{
    public const string Name = "memory-collection";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = collection.Status;
        return Task.FromResult(status.State == CollectionState.Ready
            ? HealthCheckResult.Healthy(status.Description)
            : HealthCheckResult.Unhealthy(status.Description));
    }
}
