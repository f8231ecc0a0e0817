using System.Data.Common;

namespace QdrantPool;

/// <summary>
/// The settings of the Qdrant connection pool's Aspire client integration. They are bound from the
/// <c>Aspire:Qdrant:Pool</c> configuration section, then <c>Aspire:Qdrant:Pool:{name}</c>, then
/// <c>ConnectionStrings:{name}</c>, then the delegate passed to <c>AddQdrantConnectionPool</c>.
/// A freshly constructed instance is the recommended setup: only the endpoint (and the key, when the
/// server has one) must be supplied.
/// </summary>
/// <remarks>
/// These are "settings" rather than <c>IOptions</c> because they are read while the host is being built,
/// before the service provider exists. Each pool property mirrors the property of the same name on
/// <see cref="QdrantConnectionPoolOptions"/>, with the same default.
/// </remarks>
public sealed class QdrantConnectionPoolSettings
{
    /// <summary>Gets or sets the Qdrant gRPC endpoint, such as <c>http://localhost:6334</c>.</summary>
    /// <value>The default value is <see langword="null"/>; the pool cannot be resolved until one is set.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key sent as the <c>api-key</c> header on every call.</summary>
    /// <value>The default value is <see langword="null"/> (no key).</value>
    public string? Key { get; set; }

    /// <summary>Gets or sets the SHA-256 thumbprint of a certificate in the server's chain, for https endpoints with a self-signed certificate.</summary>
    /// <value>The default value is <see langword="null"/> (the usual certificate validation).</value>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Gets or sets the most connections (gRPC channels, one TCP connection each) the pool opens, 1 to 1,024.</summary>
    /// <value>The default value is <c>5</c>.</value>
    public int MaxSize { get; set; } = 5;

    /// <summary>Gets or sets the number of connections the pool keeps open, and warms up to, even when idle.</summary>
    /// <value>The default value is <c>1</c>.</value>
    public int MinSize { get; set; } = 1;

    /// <summary>Gets or sets how long an acquire waits for a free connection before failing; at most 1 day.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the age after which an idle connection is retired and replaced (a little negative jitter is applied); <see cref="TimeSpan.MaxValue"/> means never.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a connection above <see cref="MinSize"/> may stay idle before it is closed.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how many leases may share one connection at once, 1 to 1,024; <c>1</c> makes leases exclusive.</summary>
    /// <value>The default value is <c>64</c> (shared leases over HTTP/2 multiplexing).</value>
    public int MaxLeasesPerConnection { get; set; } = 64;

    /// <summary>Gets or sets the period of the background deep health check of each connection (with a little negative jitter); <see cref="TimeSpan.MaxValue"/> means never.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how recently a connection must have been used for an acquire to skip the medium (authenticated call) check.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan ValidationBypassWindow { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets how long the medium health check (one cheap authenticated call) may take; at most 1 day.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan MediumHealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long the deep health check (collection info and count) may take; at most 1 day.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan DeepHealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the collection the deep health check reads; without one the deep tier lists collections.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HealthCheckCollection { get; set; }

    /// <summary>Gets or sets how long a lease may be held before a warning with the acquiring stack is logged.</summary>
    /// <value>The default value is <see langword="null"/> (leak detection off).</value>
    public TimeSpan? LeakDetectionThreshold { get; set; }

    /// <summary>Gets or sets how many times a transient failure is retried by <c>ExecuteAsync</c>.</summary>
    /// <value>The default value is <c>3</c>.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry delay; later delays grow exponentially. At most 1 day.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the cap on a single retry delay; at most 1 day (Polly's limit).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether retry delays are jittered.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseRetryJitter { get; set; } = true;

    /// <summary>Gets or sets the share of failed calls within the sampling window that opens the circuit.</summary>
    /// <value>The default value is <c>0.5</c>.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls the sampling window needs before the circuit may open.</summary>
    /// <value>The default value is <c>10</c>.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window over which the failure ratio is measured, 0.5 s to 1 day (Polly's limits).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before one probe call is let through, 0.5 s to 1 day (Polly's limits).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long the pool waits for outstanding leases when it is disposed before closing connections; at most 1 day.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan DisposeDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the largest gRPC response accepted, in bytes.</summary>
    /// <value>The default value is <see langword="null"/>: unlimited, like Qdrant's own server (gRPC's 4 MiB default breaks large search and scroll results).</value>
    public int? MaxReceiveMessageSize { get; set; }

    /// <summary>Gets or sets the delay between HTTP/2 keep-alive pings on an idle connection; at least 1 second.</summary>
    /// <value>The default value is <see langword="null"/> (no pings).</value>
    public TimeSpan? KeepAlivePingDelay { get; set; }

    /// <summary>Gets or sets how long a keep-alive ping may go unanswered before the connection is closed; at least 1 second.</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the deadline applied to every gRPC call; at most 1 day.</summary>
    /// <value>The default value is <see langword="null"/> (no deadline beyond the caller's cancellation).</value>
    public TimeSpan? GrpcTimeout { get; set; }

    /// <summary>Gets or sets a value indicating whether the <c>QdrantPool</c> health check is not registered.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Gets or sets the timeout of the registered health check.</summary>
    /// <value>The default value is <see langword="null"/> (bounded by the pool's own health-check timeouts).</value>
    public TimeSpan? HealthCheckTimeout { get; set; }

    /// <summary>Gets or sets a value indicating whether the <c>QdrantPool</c> meter is left out of OpenTelemetry metrics.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableMetrics { get; set; }

    /// <summary>Gets or sets a value indicating whether the <c>QdrantPool</c> activity source is left out of OpenTelemetry tracing.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableTracing { get; set; }

    /// <summary>Gets or sets a value indicating whether the pool is not warmed up to <see cref="MinSize"/> when the host starts.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableWarmup { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the integration does not register a <c>QdrantClient</c> over the pool
    /// (keyed like the pool). Set it when the application registers a <c>QdrantClient</c> of its own.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableQdrantClient { get; set; }

    /// <summary>The pool options these settings describe; <paramref name="name"/> names the pool in logs and metrics.</summary>
    internal QdrantConnectionPoolOptions ToOptions(string name) => new()
    {
        Name = name,
        Endpoint = Endpoint,
        ApiKey = Key,
        CertificateThumbprint = CertificateThumbprint,
        MaxSize = MaxSize,
        MinSize = MinSize,
        AcquireTimeout = AcquireTimeout,
        ConnectionLifetime = ConnectionLifetime,
        IdleTimeout = IdleTimeout,
        MaxLeasesPerConnection = MaxLeasesPerConnection,
        HealthCheckInterval = HealthCheckInterval,
        ValidationBypassWindow = ValidationBypassWindow,
        MediumHealthCheckTimeout = MediumHealthCheckTimeout,
        DeepHealthCheckTimeout = DeepHealthCheckTimeout,
        HealthCheckCollection = HealthCheckCollection,
        LeakDetectionThreshold = LeakDetectionThreshold,
        MaxRetryAttempts = MaxRetryAttempts,
        RetryBaseDelay = RetryBaseDelay,
        RetryMaxDelay = RetryMaxDelay,
        UseRetryJitter = UseRetryJitter,
        CircuitBreakerFailureRatio = CircuitBreakerFailureRatio,
        CircuitBreakerMinimumThroughput = CircuitBreakerMinimumThroughput,
        CircuitBreakerSamplingDuration = CircuitBreakerSamplingDuration,
        CircuitBreakerBreakDuration = CircuitBreakerBreakDuration,
        DisposeDrainTimeout = DisposeDrainTimeout,
        MaxReceiveMessageSize = MaxReceiveMessageSize,
        KeepAlivePingDelay = KeepAlivePingDelay,
        KeepAlivePingTimeout = KeepAlivePingTimeout,
        GrpcTimeout = GrpcTimeout,
    };

    /// <summary>
    /// Reads the connection string of the official Qdrant integration, <c>Endpoint=http://host:6334;Key=...</c>,
    /// or a bare absolute http(s) URI.
    /// </summary>
    internal void ParseConnectionString(string connectionString, string connectionName)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare) && IsHttp(bare))
        {
            Endpoint = bare;
            return;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is neither an http(s) URI nor of the form 'Endpoint=http://host:6334;Key=...'.", ex);
        }

        if (!builder.ContainsKey("Endpoint") && !builder.ContainsKey("Key"))
        {
            // Parsed, but nothing in it is ours: a typo or another database's format. Key names only; values may be secrets.
            var found = string.Join(", ", builder.Keys.Cast<string>());
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} has neither Endpoint nor Key (found: {found}). Use the form " +
                "'Endpoint=http://host:6334;Key=...', or a bare http(s) URI without a key.");
        }

        if (builder.TryGetValue("Endpoint", out var endpoint))
        {
            if (!Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri) || !IsHttp(uri))
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{connectionName} has Endpoint='{endpoint}', which is not an absolute http or https URI such as http://localhost:6334.");
            }

            Endpoint = uri;
        }

        if (builder.TryGetValue("Key", out var key))
        {
            // An explicit "Key=" means no key: an empty api-key header would be sent, and rejected, otherwise.
            Key = key?.ToString() is { Length: > 0 } value ? value : null;
        }
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;
}
