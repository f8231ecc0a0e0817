namespace PoolWorker;

/// <summary>
/// Placeholder for the load driver: it will run benchmark load through the pool and the baselines.
/// The worker is a web project only so that Aspire can probe its /health endpoint.
/// </summary>
internal sealed class LoadWorker(ILogger<LoadWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("PoolWorker is idle: no load scenario is configured yet.");
        return Task.CompletedTask;
    }
}
