using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Qdrant.Client;
using QdrantPool.Connections;
using QdrantPool.Telemetry;

namespace QdrantPool;

/// <summary>The three health tiers of DESIGN decision 4, and the pool-level health check.</summary>
public sealed partial class QdrantConnectionPool
{
    internal const string FastTier = "fast";
    internal const string MediumTier = "medium";
    internal const string DeepTier = "deep";

    // Looked up by the medium check when no HealthCheckCollection is set; whether it exists does not matter.
    internal const string MediumCheckProbeCollection = "qdrant-pool-health-probe";

    private long _failuresAtLastHealthReport;

    private enum CheckOutcome
    {
        Passed,
        Failed,

        // Cut at the acquire's deadline before its own timeout.
        OutOfTime,
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        QdrantCallTracing.SuppressInThisFlow();
        if (IsDisposed)
        {
            return HealthCheckResult.Unhealthy($"The Qdrant connection pool '{Name}' is disposed.", data: ToHealthData(GetStats()));
        }

        var start = _time.GetTimestamp();
        QdrantLease lease;
        if (TryLeaseExisting(start, out var existing, out _, growIfShared: false))
        {
            lease = existing;
            OnAcquired(TimeSpan.Zero);
        }
        else if (Volatile.Read(ref _total) >= _maxSize)
        {
            return HealthCheckResult.Degraded(
                $"The Qdrant connection pool '{Name}' is exhausted: all {_maxSize} connection(s) carry {_maxLeases} lease(s) each.",
                data: ToHealthData(GetStats()));
        }
        else
        {
            try
            {
                lease = await AcquireSlowAsync(start, TimestampAfter(start, _options.MediumHealthCheckTimeout), null, cancellationToken).ConfigureAwait(false);
            }
            catch (QdrantPoolExhaustedException ex)
            {
                return HealthCheckResult.Degraded($"The Qdrant connection pool '{Name}' is exhausted.", ex, ToHealthData(GetStats()));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return Unhealthy($"The Qdrant connection pool '{Name}' cannot open a connection to {_options.Endpoint}.", ex);
            }
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.MediumHealthCheckTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await MediumCheckAsync(lease.Client, linked.Token).ConfigureAwait(false);
            _metrics.RecordHealthCheck(MediumTier, healthy: true);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            // Retiring the connection would not help: every new one presents the same key.
            Interlocked.Increment(ref _healthFailures);
            _metrics.RecordHealthCheck(MediumTier, healthy: false);
            return Unhealthy($"Qdrant rejected the API key of pool '{Name}' ({ex.StatusCode}).", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            OnHealthCheckFailed(lease.Connection!, MediumTier, ex);
            return Unhealthy($"The Qdrant connection pool '{Name}' failed its health check against {_options.Endpoint}.", ex);
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }

        var stats = GetStats();
        var failures = FailuresSinceLastReport();
        if (stats.PendingWaiters > 0)
        {
            return HealthCheckResult.Degraded($"The Qdrant connection pool '{Name}' has {stats.PendingWaiters} caller(s) waiting for a lease.", data: ToHealthData(stats));
        }

        return failures > 0
            ? HealthCheckResult.Degraded($"The Qdrant connection pool '{Name}' saw {failures} failed connection(s) or health check(s) since the last check.", data: ToHealthData(stats))
            : HealthCheckResult.Healthy($"The Qdrant connection pool '{Name}' is healthy.", ToHealthData(stats));
    }

    /// <summary>
    /// Fast tier, on every release and housekeeping pass: in memory only. Whether the connection stays in service; one
    /// that fails (faulted, from before a clear, past its lifetime) is retired here.
    /// </summary>
    private bool CheckFast(PooledConnection connection, long now)
    {
        if (connection.IsRetiring)
        {
            return false;
        }

        if (connection.Transport.IsFaulted)
        {
            OnHealthCheckFailed(connection, FastTier, null, RetireReasons.Faulted);
            return false;
        }

        if (connection.Generation != Volatile.Read(ref _generation))
        {
            connection.Retire(RetireReasons.Cleared);
            return false;
        }

        if (now >= connection.ExpiresAt)
        {
            connection.Retire(RetireReasons.Lifetime);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Medium tier, on acquire after the connection sat idle past the bypass window. Bounded by its own timeout and by
    /// the acquire's <paramref name="deadline"/>, whichever comes first, so AcquireTimeout bounds the whole acquire.
    /// Unless the check passes, the lease is given back here: on a failure the connection is retired and the failure
    /// handed back for the caller to try another connection; cut at the deadline, the connection stays in service (the
    /// check did not get its own time, so it says nothing about the connection).
    /// </summary>
    private async ValueTask<(CheckOutcome Outcome, Exception? Failure)> ValidateLeaseAsync(QdrantLease lease, long deadline, CancellationToken cancellationToken)
    {
        QdrantCallTracing.SuppressInThisFlow();
        var remaining = TimeSpan.FromSeconds((double)(deadline - _time.GetTimestamp()) / _time.TimestampFrequency);
        if (remaining <= TimeSpan.Zero)
        {
            Release(lease, counted: false);
            return (CheckOutcome.OutOfTime, null);
        }

        var cutByAcquire = remaining < _options.MediumHealthCheckTimeout;
        using var timeout = new CancellationTokenSource(cutByAcquire ? remaining : _options.MediumHealthCheckTimeout, _time);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await MediumCheckAsync(lease.Client, linked.Token).ConfigureAwait(false);
            _metrics.RecordHealthCheck(MediumTier, healthy: true);
            return (CheckOutcome.Passed, null);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            Release(lease, counted: false);
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception) when (cutByAcquire && timeout.IsCancellationRequested)
        {
            Release(lease, counted: false);
            return (CheckOutcome.OutOfTime, null);
        }
        catch (Exception ex)
        {
            OnHealthCheckFailed(lease.Connection!, MediumTier, ex);
            Release(lease, counted: false);
            return (CheckOutcome.Failed, ex);
        }
    }

    /// <summary>
    /// Deep tier, started by housekeeping and run on its own: the configured collection's info and count, or the
    /// collection list. It takes no lease: borrowers keep using the connection meanwhile (a gRPC channel carries both),
    /// and housekeeping does not wait for it. A connection closed under its check (pruned, cleared, disposed) is simply
    /// not judged.
    /// </summary>
    private async Task DeepCheckAsync(PooledConnection connection)
    {
        QdrantCallTracing.SuppressInThisFlow();

        try
        {
            using var timeout = new CancellationTokenSource(_options.DeepHealthCheckTimeout, _time);
            var client = connection.Transport.Client;
            if (_options.HealthCheckCollection is { } collection)
            {
                await client.GetCollectionInfoAsync(collection, timeout.Token).ConfigureAwait(false);
                await client.CountAsync(collection, exact: false, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await client.ListCollectionsAsync(timeout.Token).ConfigureAwait(false);
            }

            _metrics.RecordHealthCheck(DeepTier, healthy: true);
        }
        catch (Exception) when (connection.IsClosed || IsDisposed)
        {
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument)
        {
            // Qdrant answered, so the connection works: a missing (or misspelt) HealthCheckCollection or a rejected key
            // would fail on every new connection too, and replacing this one each interval would only churn sockets.
            // Still a failed check: counted, so the health check reports Degraded, and logged.
            Interlocked.Increment(ref _healthFailures);
            _metrics.RecordHealthCheck(DeepTier, healthy: false);
            _logger.DeepHealthCheckRejected(Name, connection.Id, ex.StatusCode, _options.HealthCheckCollection, ex);
        }
        catch (Exception ex)
        {
            OnHealthCheckFailed(connection, DeepTier, ex);
            RetireIfIdle(connection);
        }
        finally
        {
            connection.NextDeepCheckAt = TimestampAfter(_time.GetTimestamp(), Jittered(_options.HealthCheckInterval, 0.1));
        }
    }

    /// <summary>
    /// Whether Qdrant accepts this connection's key, at a cost that does not grow with what the server holds: one
    /// collection looked up by name. Qdrant's HealthCheck RPC would be cheaper but skips authentication.
    /// </summary>
    private Task MediumCheckAsync(QdrantClient client, CancellationToken cancellationToken) =>
        client.CollectionExistsAsync(_options.HealthCheckCollection ?? MediumCheckProbeCollection, cancellationToken);

    private void OnHealthCheckFailed(PooledConnection connection, string tier, Exception? exception, string reason = RetireReasons.HealthCheckFailed)
    {
        Interlocked.Increment(ref _healthFailures);
        _metrics.RecordHealthCheck(tier, healthy: false);
        _logger.HealthCheckFailed(Name, tier, connection.Id, exception);
        connection.Retire(reason);
    }

    private long FailuresSinceLastReport()
    {
        var failures = Interlocked.Read(ref _healthFailures) + Interlocked.Read(ref _failedCreations);
        return failures - Interlocked.Exchange(ref _failuresAtLastHealthReport, failures);
    }

    private HealthCheckResult Unhealthy(string description, Exception exception)
    {
        FailuresSinceLastReport();
        return HealthCheckResult.Unhealthy(description, exception, ToHealthData(GetStats()));
    }

    private static Dictionary<string, object> ToHealthData(PoolStats stats) => new()
    {
        ["pool"] = stats.PoolName,
        ["maxSize"] = stats.MaxSize,
        ["totalConnections"] = stats.TotalConnections,
        ["idleConnections"] = stats.IdleConnections,
        ["activeConnections"] = stats.ActiveConnections,
        ["activeLeases"] = stats.ActiveLeases,
        ["pendingWaiters"] = stats.PendingWaiters,
        ["totalAcquires"] = stats.TotalAcquires,
        ["totalReleases"] = stats.TotalReleases,
        ["totalTimeouts"] = stats.TotalTimeouts,
        ["healthCheckFailures"] = stats.HealthCheckFailures,
        ["connectionsCreated"] = stats.ConnectionsCreated,
        ["connectionsRecycled"] = stats.ConnectionsRecycled,
        ["failedCreations"] = stats.FailedCreations,
        ["averageAcquireMs"] = stats.AverageAcquireTime.TotalMilliseconds,
        ["p95AcquireMs"] = stats.P95AcquireTime.TotalMilliseconds,
        ["maxAcquireMs"] = stats.MaxAcquireTime.TotalMilliseconds,
    };
}
