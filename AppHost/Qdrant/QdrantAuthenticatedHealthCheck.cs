using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Qdrant.Client;

namespace MemoryAspire.Hosting;

/// <summary>
/// Healthy only when Qdrant answers an authenticated call (ListCollections with the key). Qdrant's HealthCheck RPC
/// skips authentication, so it would call a server with the wrong key healthy.
/// </summary>
/// <param name="connectionString">Resolves the connection string; null while it is not known yet.</param>
internal sealed class QdrantAuthenticatedHealthCheck(Func<CancellationToken, ValueTask<string?>> connectionString)
    : IHealthCheck, IDisposable
{
    private readonly Lock _gate = new();
    private QdrantClient? _client;
    private string? _clientConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration.FailureStatus;

        string? value;
        try
        {
            value = await connectionString(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(failure, "The Qdrant connection string could not be resolved.", ex);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return new HealthCheckResult(failure, "The Qdrant connection string is not available yet.");
        }

        QdrantClient client;
        try
        {
            client = GetClient(value);
        }
        catch (FormatException ex)
        {
            return new HealthCheckResult(failure, ex.Message, ex);
        }

        try
        {
            var collections = await client.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Authenticated call succeeded; {collections.Count} collection(s).");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            return new HealthCheckResult(failure, $"Qdrant rejected the API key ({ex.StatusCode}: {ex.Status.Detail}).", ex);
        }
        catch (Exception ex)
        {
            // Start the next check on a fresh connection: Aspire's endpoint proxy accepts TCP before the server
            // listens, and an HTTP/2 connection opened then never recovers, so a cached client would hang forever.
            DropClient(client);
            if (cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(failure, "Qdrant did not answer an authenticated call in time.", ex);
            }

            return new HealthCheckResult(failure, "Qdrant did not answer an authenticated call.", ex);
        }
    }

    private void DropClient(QdrantClient failed)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_client, failed))
            {
                _client = null;
                _clientConnectionString = null;
            }
        }

        failed.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
            _clientConnectionString = null;
        }
    }

    private QdrantClient GetClient(string value)
    {
        lock (_gate)
        {
            // The same connection string resolves every time once endpoints are allocated; rebuild only if it changes.
            if (_client is null || _clientConnectionString != value)
            {
                var parsed = QdrantConnectionString.Parse(value);
                _client?.Dispose();
                _client = new QdrantClient(parsed.Endpoint, parsed.Key);
                _clientConnectionString = value;
            }

            return _client;
        }
    }
}
