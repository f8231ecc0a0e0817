using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QdrantPool;

/// <summary>
/// Reports the pool's own verdict (<see cref="IQdrantConnectionPool.CheckHealthAsync"/>): Degraded when it is
/// exhausted or connections are failing, Unhealthy when none can be made or the key is rejected, with
/// <see cref="PoolStats"/> in the data. Reuses the pool registered in DI rather than opening a connection of its own.
/// </summary>
internal sealed class QdrantPoolHealthCheck(IQdrantConnectionPool pool) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await pool.CheckHealthAsync(cancellationToken).ConfigureAwait(false);

            // The registration may ask for a milder failure status (for example Degraded); honour it.
            return result.Status == HealthStatus.Unhealthy && context.Registration.FailureStatus != HealthStatus.Unhealthy
                ? new HealthCheckResult(context.Registration.FailureStatus, result.Description, result.Exception, result.Data)
                : result;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"The health check of the Qdrant connection pool '{pool.Name}' failed: {ex.Message}",
                ex);
        }
    }
}
