using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace QdrantPool;

/// <summary>
/// Opens the pool's first <c>MinSize</c> connections when the host starts, so the first request does not pay
/// for the TCP and HTTP/2 handshakes. It runs in the background and never fails the host: if Qdrant is not up
/// yet, the pool simply opens connections on first use.
/// </summary>
internal sealed partial class QdrantPoolWarmupService(IServiceProvider services, string connectionName, object? serviceKey, ILogger<QdrantPoolWarmupService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let StartAsync of the other hosted services run first; the warm-up is best effort.
        await Task.Yield();
        try
        {
            // Resolved here, not in the constructor, so a missing endpoint is logged rather than stopping the host;
            // the same error is thrown again, to the caller, when the pool is first resolved.
            var pool = serviceKey is null
                ? services.GetRequiredService<IQdrantConnectionPool>()
                : services.GetRequiredKeyedService<IQdrantConnectionPool>(serviceKey);
            await pool.InitializeAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWarmupFailed(logger, connectionName, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up the Qdrant connection pool '{ConnectionName}' failed; connections will be opened on first use.")]
    private static partial void LogWarmupFailed(ILogger logger, string connectionName, Exception exception);
}
