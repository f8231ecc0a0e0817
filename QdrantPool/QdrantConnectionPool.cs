using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>A pool of Qdrant gRPC connections (one <c>GrpcChannel</c> and TCP connection each), lent out as leases.</summary>
public sealed partial class QdrantConnectionPool : IQdrantConnectionPool
{
    /// <summary>The name of the pool's Meter and ActivitySource, for OpenTelemetry registration.</summary>
    public const string TelemetryName = "QdrantPool";

    /// <summary>Builds a pool over real gRPC channels. Nothing is opened until <see cref="InitializeAsync"/> or the first acquire.</summary>
    public QdrantConnectionPool(
        QdrantConnectionPoolOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : this(options, null, loggerFactory, timeProvider, meterFactory, null)
    {
    }

    internal QdrantConnectionPool(
        QdrantConnectionPoolOptions options,
        IConnectionFactory? connectionFactory,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = options.Name;
        throw new NotImplementedException();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<QdrantLease> AcquireAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask ReleaseAsync(QdrantLease lease) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public PoolStats GetStats() => throw new NotImplementedException();

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

/// <summary>Placeholder: replaced by the real connection entry.</summary>
internal sealed class PooledConnection
{
    public IConnectionTransport Transport { get; } = null!;
}
