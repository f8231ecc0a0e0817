namespace Reliability.Tests.Service;

/// <summary>
/// Small intervals for MemoryService's pool in the scenarios, and the bound they put on one Qdrant call as seen by a
/// request: AcquireTimeout + deadline × (1 + MaxRetryAttempts) + the retry delays (exponential, no jitter).
/// </summary>
internal static class ServiceSettings
{
    public static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(2);
    public const int MaxRetryAttempts = 2;
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>3 s + 2 s × 3 + (0.1 s + 0.2 s) = 9.3 s.</summary>
    public static TimeSpan RequestBound =>
        AcquireTimeout + (CallDeadline * (1 + MaxRetryAttempts)) + (RetryBaseDelay * ((1 << MaxRetryAttempts) - 1));

    /// <summary>Scheduling slack for a loaded 2-core machine on top of <see cref="RequestBound"/> in assertions.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    public static Dictionary<string, string?> Pool(Action<Dictionary<string, string?>>? change = null)
    {
        const string pool = "Aspire:Qdrant:Pool:";
        var settings = new Dictionary<string, string?>
        {
            ["Memory:QdrantCallTimeout"] = CallDeadline.ToString("c"),
            [pool + "MinSize"] = "2",
            [pool + "MaxSize"] = "4",
            [pool + "AcquireTimeout"] = AcquireTimeout.ToString("c"),
            [pool + "MaxRetryAttempts"] = MaxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [pool + "RetryBaseDelay"] = RetryBaseDelay.ToString("c"),
            [pool + "UseRetryJitter"] = "false",
            [pool + "MediumHealthCheckTimeout"] = "00:00:01",
            [pool + "HealthCheckInterval"] = "00:00:02",
            [pool + "CircuitBreakerMinimumThroughput"] = "4",
            [pool + "CircuitBreakerSamplingDuration"] = "00:00:02",
            [pool + "CircuitBreakerBreakDuration"] = "00:00:01",
        };
        change?.Invoke(settings);
        return settings;
    }
}
