using System.Reflection;

namespace QdrantPool.Tests.Aspire;

public sealed class QdrantConnectionPoolSettingsTests
{
    [Fact]
    public void Constructor_Fresh_ConnectionDefaultsAreUnset()
    {
        var settings = new QdrantConnectionPoolSettings();

        Assert.Null(settings.Endpoint);
        Assert.Null(settings.Key);
        Assert.Null(settings.CertificateThumbprint);
        Assert.Null(settings.GrpcTimeout);
        Assert.Null(settings.MaxReceiveMessageSize);
        Assert.Null(settings.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.KeepAlivePingTimeout);
    }

    [Fact]
    public void Constructor_Fresh_SizingDefaultsPinned()
    {
        var settings = new QdrantConnectionPoolSettings();

        Assert.Equal(5, settings.MaxSize);
        Assert.Equal(1, settings.MinSize);
        Assert.Equal(64, settings.MaxLeasesPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AcquireTimeout);
        Assert.Equal(TimeSpan.FromHours(1), settings.ConnectionLifetime);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.IdleTimeout);
        Assert.Null(settings.LeakDetectionThreshold);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.DisposeDrainTimeout);
    }

    [Fact]
    public void Constructor_Fresh_HealthDefaultsPinned()
    {
        var settings = new QdrantConnectionPoolSettings();

        Assert.Equal(TimeSpan.FromSeconds(60), settings.HealthCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ValidationBypassWindow);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.MediumHealthCheckTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.DeepHealthCheckTimeout);
        Assert.Null(settings.HealthCheckCollection);
    }

    [Fact]
    public void Constructor_Fresh_ResilienceDefaultsPinned()
    {
        var settings = new QdrantConnectionPoolSettings();

        Assert.Equal(3, settings.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RetryMaxDelay);
        Assert.True(settings.UseRetryJitter);
        Assert.Equal(0.5, settings.CircuitBreakerFailureRatio);
        Assert.Equal(10, settings.CircuitBreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CircuitBreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.CircuitBreakerBreakDuration);
    }

    [Fact]
    public void Constructor_Fresh_IntegrationFeaturesOn()
    {
        var settings = new QdrantConnectionPoolSettings();

        Assert.False(settings.DisableHealthChecks);
        Assert.Null(settings.HealthCheckTimeout);
        Assert.False(settings.DisableMetrics);
        Assert.False(settings.DisableTracing);
        Assert.False(settings.DisableWarmup);
        Assert.False(settings.DisableQdrantClient);
    }

    [Fact]
    public void Properties_EveryPoolOption_HasSettingOfSameTypeAndDefault()
    {
        var settings = new QdrantConnectionPoolSettings();
        var options = new QdrantConnectionPoolOptions();

        foreach (var option in typeof(QdrantConnectionPoolOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (option.Name == nameof(QdrantConnectionPoolOptions.Name))
            {
                continue; // the pool is named after the connection
            }

            var settingName = option.Name == nameof(QdrantConnectionPoolOptions.ApiKey) ? nameof(QdrantConnectionPoolSettings.Key) : option.Name;
            var setting = typeof(QdrantConnectionPoolSettings).GetProperty(settingName);
            Assert.True(setting is not null, $"QdrantConnectionPoolSettings has no {settingName} for QdrantConnectionPoolOptions.{option.Name}.");
            Assert.Equal(option.PropertyType, setting.PropertyType);
            Assert.Equal(option.GetValue(options), setting.GetValue(settings));
        }
    }

    [Fact]
    public void ToOptions_FreshSettings_EqualPoolDefaultsAndCarryName()
    {
        var options = new QdrantConnectionPoolSettings().ToOptions("vectors");
        var defaults = new QdrantConnectionPoolOptions();

        Assert.Equal("vectors", options.Name);
        foreach (var property in typeof(QdrantConnectionPoolOptions).GetProperties().Where(p => p.Name != nameof(QdrantConnectionPoolOptions.Name)))
        {
            Assert.Equal(property.GetValue(defaults), property.GetValue(options));
        }
    }

    [Fact]
    public void ToOptions_EveryValueChanged_EveryValueCopied()
    {
        var settings = new QdrantConnectionPoolSettings { Endpoint = new Uri("https://qdrant.example:6334"), Key = "secret" };
        foreach (var property in typeof(QdrantConnectionPoolSettings).GetProperties().Where(p => p.CanWrite))
        {
            if (ChangedValue(property.PropertyType, property.GetValue(settings)) is { } value)
            {
                property.SetValue(settings, value);
            }
        }

        var options = settings.ToOptions("qdrant");

        Assert.Equal(settings.Key, options.ApiKey);
        Assert.Equal(settings.Endpoint, options.Endpoint);
        foreach (var option in typeof(QdrantConnectionPoolOptions).GetProperties())
        {
            if (typeof(QdrantConnectionPoolSettings).GetProperty(option.Name) is { } setting)
            {
                Assert.True(Equals(setting.GetValue(settings), option.GetValue(options)), $"{option.Name} was not copied.");
            }
        }
    }

    private static object? ChangedValue(Type type, object? current) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => 7,
            var t when t == typeof(double) => 0.25,
            var t when t == typeof(bool) => current is not true,
            var t when t == typeof(TimeSpan) => TimeSpan.FromSeconds(42),
            var t when t == typeof(string) => "changed",
            _ => null,
        };
}
