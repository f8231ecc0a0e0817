using System.Globalization;
using QdrantPool.Connections;

namespace QdrantPool;

/// <summary>Checks options once, when the pool is built; the message lists every rejected setting with its value.</summary>
internal static class QdrantConnectionPoolOptionsValidator
{
    // Polly's own lower bounds for the circuit breaker; checked here so the message names our setting.
    private static readonly TimeSpan MinBreakerWindow = TimeSpan.FromMilliseconds(500);

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

        AtLeast(errors, nameof(options.MaxSize), options.MaxSize, 1);
        AtLeast(errors, nameof(options.MinSize), options.MinSize, 0);
        if (options.MinSize > options.MaxSize)
        {
            errors.Add($"MinSize ({options.MinSize}) must not exceed MaxSize ({options.MaxSize})");
        }

        AtLeast(errors, nameof(options.MaxLeasesPerConnection), options.MaxLeasesPerConnection, 1);
        Positive(errors, nameof(options.AcquireTimeout), options.AcquireTimeout);
        Positive(errors, nameof(options.ConnectionLifetime), options.ConnectionLifetime);
        Positive(errors, nameof(options.IdleTimeout), options.IdleTimeout);
        Positive(errors, nameof(options.HealthCheckInterval), options.HealthCheckInterval);
        NotNegative(errors, nameof(options.ValidationBypassWindow), options.ValidationBypassWindow);
        Positive(errors, nameof(options.LeakDetectionThreshold), options.LeakDetectionThreshold);
        Positive(errors, nameof(options.MediumHealthCheckTimeout), options.MediumHealthCheckTimeout);
        Positive(errors, nameof(options.DeepHealthCheckTimeout), options.DeepHealthCheckTimeout);

        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"MaxRetryAttempts ({options.MaxRetryAttempts}) must be between 0 and 100");
        }

        NotNegative(errors, nameof(options.RetryBaseDelay), options.RetryBaseDelay);
        if (options.RetryBaseDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"RetryBaseDelay ({options.RetryBaseDelay}) must not exceed 1 day");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"RetryMaxDelay ({options.RetryMaxDelay}) must not be below RetryBaseDelay ({options.RetryBaseDelay})");
        }

        if (double.IsNaN(options.CircuitBreakerFailureRatio) || options.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"CircuitBreakerFailureRatio ({options.CircuitBreakerFailureRatio.ToString(CultureInfo.InvariantCulture)}) must be above 0 and at most 1");
        }

        AtLeast(errors, nameof(options.CircuitBreakerMinimumThroughput), options.CircuitBreakerMinimumThroughput, 2);
        AtLeast(errors, nameof(options.CircuitBreakerSamplingDuration), options.CircuitBreakerSamplingDuration, MinBreakerWindow);
        AtLeast(errors, nameof(options.CircuitBreakerBreakDuration), options.CircuitBreakerBreakDuration, MinBreakerWindow);
        NotNegative(errors, nameof(options.DisposeDrainTimeout), options.DisposeDrainTimeout);

        if (options.MaxReceiveMessageSize is <= 0)
        {
            errors.Add($"MaxReceiveMessageSize ({options.MaxReceiveMessageSize}) must be positive, or null for unlimited");
        }

        Positive(errors, nameof(options.KeepAlivePingDelay), options.KeepAlivePingDelay);
        Positive(errors, nameof(options.KeepAlivePingTimeout), options.KeepAlivePingTimeout);
        Positive(errors, nameof(options.GrpcTimeout), options.GrpcTimeout);

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

    private static void AtLeast(List<string> errors, string name, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} ({value}) must be at least {minimum}");
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
