namespace QdrantPool;

/// <summary>
/// Settings of one <see cref="QdrantConnectionPool"/>. Usable without Aspire; the Aspire integration binds its
/// settings type onto this one. Every value is checked when the pool is built, and a rejected value is reported
/// with the setting's name and its value.
/// </summary>
public sealed class QdrantConnectionPoolOptions
{
    /// <summary>The pool's name, used in logs, metrics (<c>db.client.connection.pool.name</c>) and error messages. Default <c>"qdrant"</c>.</summary>
    public string Name { get; set; } = "qdrant";

    /// <summary>The Qdrant gRPC endpoint, e.g. <c>http://localhost:6334</c>. Required; no default.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key sent as the <c>api-key</c> header on every call. Default none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// SHA-256 thumbprint (hex) of a certificate that must appear in the server's chain; requires an https endpoint.
    /// Default none (the platform's usual certificate validation).
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Maximum number of connections (gRPC channels, one TCP connection each), 1 to 1,024. Default 5.</summary>
    public int MaxSize { get; set; } = 5;

    /// <summary>Connections opened by <c>InitializeAsync</c> and kept open by housekeeping. Default 1.</summary>
    public int MinSize { get; set; } = 1;

    /// <summary>How long <c>AcquireAsync</c> waits for a lease before throwing <see cref="QdrantPoolExhaustedException"/>; at most 1 day. Default 10 s.</summary>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Age after which an idle connection is retired (with up to 2.5 % negative jitter); <see cref="TimeSpan.MaxValue"/> means never. Default 1 h.</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a connection above <see cref="MinSize"/> may stay idle before it is closed. Default 10 min.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Period of the background deep health check of each connection (with up to 10 % negative jitter); <see cref="TimeSpan.MaxValue"/> means never. Default 60 s.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection idle for less than this is lent without the medium (authenticated call) check. Default 500 ms.</summary>
    public TimeSpan ValidationBypassWindow { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A lease held longer than this is logged as a possible leak, with the acquiring stack trace. Default null (off).</summary>
    public TimeSpan? LeakDetectionThreshold { get; set; }

    /// <summary>Concurrent leases one connection may carry (HTTP/2 multiplexing), 1 to 1,024; 1 means exclusive leases. Default 64.</summary>
    public int MaxLeasesPerConnection { get; set; } = 64;

    /// <summary>Timeout of the medium health check (one authenticated call); at most 1 day. Default 2 s.</summary>
    public TimeSpan MediumHealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of the deep health check; at most 1 day. Default 5 s.</summary>
    public TimeSpan DeepHealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Collection whose info and point count the deep health check reads. Default null: the deep check lists collections.
    /// </summary>
    public string? HealthCheckCollection { get; set; }

    /// <summary>Retries of a transient failure in <c>ExecuteAsync</c>; 0 turns retrying off. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential retry backoff; at most 1 day. Default 0.5 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on one retry delay; at most 1 day (Polly's limit). Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether retry delays are jittered (decorrelated jitter). Default true.</summary>
    public bool UseRetryJitter { get; set; } = true;

    /// <summary>Share of failed calls within the sampling window that opens the circuit. Default 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within the sampling window before the circuit may open. Default 10.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which the failure ratio is measured, 0.5 s to 1 day (Polly's limits). Default 30 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one probe call is let through, 0.5 s to 1 day (Polly's limits). Default 5 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>DisposeAsync</c> waits for outstanding leases before closing every connection; at most 1 day. Default 5 s.</summary>
    public TimeSpan DisposeDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Largest gRPC message the client accepts, in bytes. Default null: unlimited, like Qdrant's own server
    /// (gRPC's 4 MiB default breaks large search and scroll results).
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; }

    /// <summary>
    /// Delay between HTTP/2 keep-alive pings on every pooled connection, so that a half-open connection (a peer gone
    /// without a word) is noticed and replaced rather than hanging calls; at least 1 s (SocketsHttpHandler's limit),
    /// null for no pings. Default 60 s (the gRPC performance guidance's example).
    /// </summary>
    public TimeSpan? KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a keep-alive ping may go unanswered before the connection is closed; at least 1 s. Default 30 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline applied to every gRPC call; at most 1 day. Default null (no deadline).</summary>
    public TimeSpan? GrpcTimeout { get; set; }

    /// <summary>A copy, so that changing these options after the pool is built has no effect on it.</summary>
    internal QdrantConnectionPoolOptions Clone() => (QdrantConnectionPoolOptions)MemberwiseClone();
}
