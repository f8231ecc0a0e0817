using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace QdrantPool;

/// <summary>
/// The environment variables of the earlier Python version of this service, honoured as aliases so a
/// deployment can move over without renaming its settings. They are read from <see cref="IConfiguration"/>
/// (environment variables land there as top-level keys) and applied right after the shared
/// <c>Aspire:Qdrant:Pool</c> section, so the named section, the connection string and the caller's delegate
/// still override them.
/// </summary>
internal static class QdrantPoolEnvironmentAliases
{
    internal const string PoolSize = "CLAUDE_RAG_QDRANT_POOL_SIZE";
    internal const string PoolMinSize = "CLAUDE_RAG_QDRANT_POOL_MIN_SIZE";
    internal const string PoolTimeout = "CLAUDE_RAG_QDRANT_POOL_TIMEOUT";
    internal const string PoolRecycle = "CLAUDE_RAG_QDRANT_POOL_RECYCLE";
    internal const string HealthCheckInterval = "CLAUDE_RAG_QDRANT_HEALTH_CHECK_INTERVAL";
    internal const string PreferGrpc = "CLAUDE_RAG_QDRANT_PREFER_GRPC";

    // The pool's own limit (QdrantConnectionPoolOptionsValidator); checked here too so the message names the variable.
    private const double MaxAcquireTimeoutSeconds = 24 * 60 * 60;

    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    internal static void Apply(IConfiguration configuration, QdrantConnectionPoolSettings settings)
    {
        if (ReadCount(configuration, PoolSize, nameof(settings.MaxSize), minimum: 1) is int maxSize)
        {
            settings.MaxSize = maxSize;
        }

        if (ReadCount(configuration, PoolMinSize, nameof(settings.MinSize), minimum: 0) is int minSize)
        {
            settings.MinSize = minSize;
        }

        if (ReadSeconds(configuration, PoolTimeout, nameof(settings.AcquireTimeout), MaxAcquireTimeoutSeconds) is TimeSpan acquireTimeout)
        {
            settings.AcquireTimeout = acquireTimeout;
        }

        if (ReadSeconds(configuration, PoolRecycle, nameof(settings.ConnectionLifetime), maximumSeconds: null) is TimeSpan lifetime)
        {
            settings.ConnectionLifetime = lifetime;
        }

        if (ReadSeconds(configuration, HealthCheckInterval, nameof(settings.HealthCheckInterval), maximumSeconds: null) is TimeSpan interval)
        {
            settings.HealthCheckInterval = interval;
        }

        // The Python service could fall back to REST; the .NET client speaks gRPC only, so the value is
        // checked (a typo should not pass silently) and otherwise has nothing to switch.
        _ = ReadBoolean(configuration, PreferGrpc);
    }

    // An empty value counts as unset: `NAME=` is how container definitions often clear a variable.
    private static string? Read(IConfiguration configuration, string variable)
    {
        var value = configuration[variable];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    // The lower bounds are the pool's own (MaxSize at least 1, durations positive), checked here as well so that the
    // message names the variable that was set rather than only the setting it feeds.
    private static int? ReadCount(IConfiguration configuration, string variable, string setting, int minimum)
    {
        if (Read(configuration, variable) is not { } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < minimum)
        {
            throw new InvalidOperationException(
                $"The environment variable {variable}='{value}' is not a valid {setting}: expected a whole number of {minimum} or more.");
        }

        return count;
    }

    private static TimeSpan? ReadSeconds(IConfiguration configuration, string variable, string setting, double? maximumSeconds)
    {
        if (Read(configuration, variable) is not { } value)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds >= TimeSpan.MaxValue.TotalSeconds || seconds > maximumSeconds)
        {
            var range = maximumSeconds is { } maximum ? $"above 0 and at most {maximum.ToString(CultureInfo.InvariantCulture)}" : "above 0";
            throw new InvalidOperationException(
                $"The environment variable {variable}='{value}' is not a valid {setting}: expected a number of seconds {range}, such as 10 or 2.5.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool? ReadBoolean(IConfiguration configuration, string variable)
    {
        if (Read(configuration, variable) is not { } value)
        {
            return null;
        }

        if (TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FalseWords.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new InvalidOperationException(
            $"The environment variable {variable}='{value}' is not a valid boolean: expected true or false (1/0, yes/no, on/off are accepted too).");
    }
}
