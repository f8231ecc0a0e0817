using System.Globalization;

namespace Microsoft.Extensions.Configuration;

/// <summary>
/// The environment variables of the earlier Python version of the memory service (<c>CLAUDE_RAG_QDRANT_*</c>), honoured
/// as aliases of the Qdrant pool's shared settings (<c>Aspire:Qdrant:Pool:*</c>) so a deployment can move over without
/// renaming them. They belong to these applications, not to the reusable pool, so they live here.
/// </summary>
/// <remarks>
/// The source is added after the host's own sources, so an alias overrides the shared <c>Aspire:Qdrant:Pool</c>
/// section; the named section (<c>Aspire:Qdrant:Pool:{name}</c>), the connection string and the code's delegate are
/// applied after the shared section by the pool's integration, so they still override an alias. Values are read and
/// checked once, when the source is added: a bad one fails there, naming the variable and its value.
/// </remarks>
public static class ClaudeRagEnvironmentAliases
{
    internal const string PoolSize = "CLAUDE_RAG_QDRANT_POOL_SIZE";
    internal const string PoolMinSize = "CLAUDE_RAG_QDRANT_POOL_MIN_SIZE";
    internal const string PoolTimeout = "CLAUDE_RAG_QDRANT_POOL_TIMEOUT";
    internal const string PoolRecycle = "CLAUDE_RAG_QDRANT_POOL_RECYCLE";
    internal const string HealthCheckInterval = "CLAUDE_RAG_QDRANT_HEALTH_CHECK_INTERVAL";
    internal const string PreferGrpc = "CLAUDE_RAG_QDRANT_PREFER_GRPC";

    /// <summary>The pool integration's shared section (QdrantPool's <c>Aspire:Qdrant:Pool</c>).</summary>
    internal const string PoolSection = "Aspire:Qdrant:Pool";

    // The pool's own limit (QdrantConnectionPoolOptionsValidator); checked here too so the message names the variable.
    private const double MaxAcquireTimeoutSeconds = 24 * 60 * 60;

    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    /// <summary>
    /// Adds the <c>CLAUDE_RAG_QDRANT_*</c> aliases, read from <paramref name="configuration"/> (where environment
    /// variables land as top-level keys), as a configuration source of the pool's shared settings.
    /// </summary>
    /// <exception cref="InvalidOperationException">An alias holds a value the pool cannot use; the message names the variable and value.</exception>
    public static IConfigurationBuilder AddClaudeRagEnvironmentAliases(this IConfigurationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);

        // Read now, into a source of its own: read lazily, the aliases would be looked up in the very configuration
        // this source is part of.
        var values = Translate(configuration);
        return values.Count == 0 ? builder : builder.AddInMemoryCollection(values);
    }

    /// <summary>The pool settings the aliases set, as configuration keys and values.</summary>
    internal static Dictionary<string, string?> Translate(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (ReadCount(configuration, PoolSize, "MaxSize", minimum: 1) is int maxSize)
        {
            values[$"{PoolSection}:MaxSize"] = maxSize.ToString(CultureInfo.InvariantCulture);
        }

        if (ReadCount(configuration, PoolMinSize, "MinSize", minimum: 0) is int minSize)
        {
            values[$"{PoolSection}:MinSize"] = minSize.ToString(CultureInfo.InvariantCulture);
        }

        if (ReadSeconds(configuration, PoolTimeout, "AcquireTimeout", MaxAcquireTimeoutSeconds) is TimeSpan acquireTimeout)
        {
            values[$"{PoolSection}:AcquireTimeout"] = acquireTimeout.ToString("c", CultureInfo.InvariantCulture);
        }

        if (ReadSeconds(configuration, PoolRecycle, "ConnectionLifetime", maximumSeconds: null) is TimeSpan lifetime)
        {
            values[$"{PoolSection}:ConnectionLifetime"] = lifetime.ToString("c", CultureInfo.InvariantCulture);
        }

        if (ReadSeconds(configuration, HealthCheckInterval, "HealthCheckInterval", maximumSeconds: null) is TimeSpan interval)
        {
            values[$"{PoolSection}:HealthCheckInterval"] = interval.ToString("c", CultureInfo.InvariantCulture);
        }

        // The Python service could fall back to REST; the .NET client speaks gRPC only, so the value is
        // checked (a typo should not pass silently) and otherwise has nothing to switch.
        _ = ReadBoolean(configuration, PreferGrpc);
        return values;
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
