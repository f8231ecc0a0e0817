using System.Globalization;
using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>Checks options once, when the pool is built; the message lists every rejected setting with its value.</summary>
internal static class QdrantConnectionPoolOptionsValidator
{
    // Polly's own lower bounds for the circuit breaker; checked here so the message names our setting.
    private static readonly TimeSpan MinBreakerWindow = TimeSpan.FromMilliseconds(500);

    // Polly's upper bound for its delays and windows, and ours for every timeout: timers reject anything past ~49 days,
    // and a wait of more than a day is a mistake, most often a bare number in configuration ("10" is ten days).
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    // SocketsHttpHandler rejects keep-alive settings under one second (at the first open, with no setting named).
    private static readonly TimeSpan MinKeepAlive = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Npgsql's limit on its pool size. The pool scans its slots on every acquire, and each connection holds three arrays
    /// of MaxLeasesPerConnection entries; past this a setting is a mistake (int.MaxValue as "unlimited") that would
    /// otherwise surface as an OutOfMemoryException.
    /// </summary>
    internal const int MaxSizeLimit = 1024;

    /// <summary>The most leases one connection may carry; see <see cref="MaxSizeLimit"/>.</summary>
    internal const int MaxLeasesLimit = 1024;

    public static void Validate(QdrantConnectionPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add("Name must not be empty");
        }

        if (options.Endpoint is null)
        {
            errors.Add("Endpoint is required (e.g. http://localhost:6334)");
        }
        else if (!options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https"))
        {
            errors.Add($"Endpoint ({options.Endpoint}) must be an absolute http or https URI");
        }

        if (options.CertificateThumbprint is { } thumbprint)
        {
            if (!CertificateThumbprint.TryParse(thumbprint, out _))
            {
                errors.Add($"CertificateThumbprint ({thumbprint}) must be a SHA-256 thumbprint: 64 hex digits");
            }

            if (options.Endpoint is { IsAbsoluteUri: true, Scheme: not "https" })
            {
                errors.Add($"CertificateThumbprint needs an https Endpoint, not {options.Endpoint}");
            }
        }

        Between(errors, nameof(options.MaxSize), options.MaxSize, 1, MaxSizeLimit);
        AtLeast(errors, nameof(options.MinSize), options.MinSize, 0);
        if (options.MinSize > options.MaxSize)
        {
            errors.Add($"MinSize ({options.MinSize}) must not exceed MaxSize ({options.MaxSize})");
        }

        Between(errors, nameof(options.MaxLeasesPerConnection), options.MaxLeasesPerConnection, 1, MaxLeasesLimit);
        Positive(errors, nameof(options.AcquireTimeout), options.AcquireTimeout);
        AtMost(errors, nameof(options.AcquireTimeout), options.AcquireTimeout, MaxTimeout);
        Positive(errors, nameof(options.ConnectionLifetime), options.ConnectionLifetime);
        Positive(errors, nameof(options.IdleTimeout), options.IdleTimeout);
        Positive(errors, nameof(options.HealthCheckInterval), options.HealthCheckInterval);
        NotNegative(errors, nameof(options.ValidationBypassWindow), options.ValidationBypassWindow);
        Positive(errors, nameof(options.LeakDetectionThreshold), options.LeakDetectionThreshold);
        Positive(errors, nameof(options.MediumHealthCheckTimeout), options.MediumHealthCheckTimeout);
        AtMost(errors, nameof(options.MediumHealthCheckTimeout), options.MediumHealthCheckTimeout, MaxTimeout);
        Positive(errors, nameof(options.DeepHealthCheckTimeout), options.DeepHealthCheckTimeout);
        AtMost(errors, nameof(options.DeepHealthCheckTimeout), options.DeepHealthCheckTimeout, MaxTimeout);

        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"MaxRetryAttempts ({options.MaxRetryAttempts}) must be between 0 and 100");
        }

        NotNegative(errors, nameof(options.RetryBaseDelay), options.RetryBaseDelay);
        AtMost(errors, nameof(options.RetryBaseDelay), options.RetryBaseDelay, MaxTimeout);
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"RetryMaxDelay ({options.RetryMaxDelay}) must not be below RetryBaseDelay ({options.RetryBaseDelay})");
        }

        AtMost(errors, nameof(options.RetryMaxDelay), options.RetryMaxDelay, MaxTimeout);

        if (double.IsNaN(options.CircuitBreakerFailureRatio) || options.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"CircuitBreakerFailureRatio ({options.CircuitBreakerFailureRatio.ToString(CultureInfo.InvariantCulture)}) must be above 0 and at most 1");
        }

        AtLeast(errors, nameof(options.CircuitBreakerMinimumThroughput), options.CircuitBreakerMinimumThroughput, 2);
        AtLeast(errors, nameof(options.CircuitBreakerSamplingDuration), options.CircuitBreakerSamplingDuration, MinBreakerWindow);
        AtMost(errors, nameof(options.CircuitBreakerSamplingDuration), options.CircuitBreakerSamplingDuration, MaxTimeout);
        AtLeast(errors, nameof(options.CircuitBreakerBreakDuration), options.CircuitBreakerBreakDuration, MinBreakerWindow);
        AtMost(errors, nameof(options.CircuitBreakerBreakDuration), options.CircuitBreakerBreakDuration, MaxTimeout);
        NotNegative(errors, nameof(options.DisposeDrainTimeout), options.DisposeDrainTimeout);
        AtMost(errors, nameof(options.DisposeDrainTimeout), options.DisposeDrainTimeout, MaxTimeout);

        if (options.MaxReceiveMessageSize is <= 0)
        {
            errors.Add($"MaxReceiveMessageSize ({options.MaxReceiveMessageSize}) must be positive, or null for unlimited");
        }

        AtLeast(errors, nameof(options.KeepAlivePingDelay), options.KeepAlivePingDelay, MinKeepAlive);
        AtLeast(errors, nameof(options.KeepAlivePingTimeout), options.KeepAlivePingTimeout, MinKeepAlive);
        Positive(errors, nameof(options.GrpcTimeout), options.GrpcTimeout);
        AtMost(errors, nameof(options.GrpcTimeout), options.GrpcTimeout, MaxTimeout);

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid Qdrant connection pool options for '{options.Name}': {string.Join("; ", errors)}.", nameof(options));
        }
    }

    private static void AtLeast(List<string> errors, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} ({value}) must be at least {minimum}");
        }
    }

    private static void Between(List<string> errors, string name, int value, int minimum, int maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add($"{name} ({value}) must be between {minimum} and {maximum}");
        }
    }

    private static void AtLeast(List<string> errors, string name, TimeSpan? value, TimeSpan minimum)
    {
        if (value is { } v && v < minimum)
        {
            errors.Add($"{name} ({v}) must be at least {minimum}");
        }
    }

    private static void AtMost(List<string> errors, string name, TimeSpan? value, TimeSpan maximum)
    {
        if (value is { } v && v > maximum)
        {
            // A bare number in configuration binds as days; say so, since that is the usual way to get here.
            errors.Add($"{name} ({v}) must not exceed {maximum} (in configuration a bare number is days: write 00:00:10 for 10 seconds)");
        }
    }

    private static void Positive(List<string> errors, string name, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            errors.Add($"{name} ({v}) must be positive");
        }
    }

    private static void NotNegative(List<string> errors, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{name} ({value}) must not be negative");
        }
    }
}
