using QdrantPool.Tests.Support;

namespace QdrantPool.Tests;

public class QdrantConnectionPoolOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedValues()
    {
        var options = new QdrantConnectionPoolOptions();

        Assert.Equal("qdrant", options.Name);
        Assert.Null(options.Endpoint);
        Assert.Null(options.ApiKey);
        Assert.Null(options.CertificateThumbprint);
        Assert.Equal(5, options.MaxSize);
        Assert.Equal(1, options.MinSize);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AcquireTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.ConnectionLifetime);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HealthCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ValidationBypassWindow);
        Assert.Null(options.LeakDetectionThreshold);
        Assert.Equal(64, options.MaxLeasesPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MediumHealthCheckTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DeepHealthCheckTimeout);
        Assert.Null(options.HealthCheckCollection);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryMaxDelay);
        Assert.True(options.UseRetryJitter);
        Assert.Equal(0.5, options.CircuitBreakerFailureRatio);
        Assert.Equal(10, options.CircuitBreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CircuitBreakerBreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DisposeDrainTimeout);
        Assert.Null(options.MaxReceiveMessageSize);
        Assert.Null(options.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), options.KeepAlivePingTimeout);
        Assert.Null(options.GrpcTimeout);
    }

    [Fact]
    public void Constructor_MinSizeAboveMaxSize_NamesBothSettingsAndValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => PoolTestContext.Create(o =>
        {
            o.MinSize = 7;
            o.MaxSize = 5;
        }));

        Assert.Contains("MinSize (7) must not exceed MaxSize (5)", ex.Message);
    }

    [Fact]
    public void Constructor_MissingEndpoint_SaysItIsRequired()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QdrantConnectionPool(new QdrantConnectionPoolOptions()));

        Assert.Contains("Endpoint is required", ex.Message);
        Assert.Contains("'qdrant'", ex.Message);
    }

    [Theory]
    [InlineData("MaxSize", "MaxSize (0) must be at least 1")]
    [InlineData("MinSize", "MinSize (-1) must be at least 0")]
    [InlineData("MaxLeasesPerConnection", "MaxLeasesPerConnection (0) must be at least 1")]
    [InlineData("AcquireTimeout", "AcquireTimeout (00:00:00) must be positive")]
    [InlineData("MaxRetryAttempts", "MaxRetryAttempts (-1) must be between 0 and 100")]
    [InlineData("CircuitBreakerFailureRatio", "CircuitBreakerFailureRatio (1.5) must be above 0 and at most 1")]
    [InlineData("CircuitBreakerMinimumThroughput", "CircuitBreakerMinimumThroughput (1) must be at least 2")]
    [InlineData("CircuitBreakerBreakDuration", "CircuitBreakerBreakDuration (00:00:00.1000000) must be at least 00:00:00.5000000")]
    [InlineData("RetryMaxDelay", "RetryMaxDelay (00:00:00.1000000) must not be below RetryBaseDelay (00:00:01)")]
    [InlineData("MaxReceiveMessageSize", "MaxReceiveMessageSize (0) must be positive, or null for unlimited")]
    [InlineData("LeakDetectionThreshold", "LeakDetectionThreshold (-00:00:01) must be positive")]
    [InlineData("Endpoint", "Endpoint (ftp://example/) must be an absolute http or https URI")]
    [InlineData("CertificateThumbprint", "CertificateThumbprint (abc) must be a SHA-256 thumbprint: 64 hex digits")]
    [InlineData("ThumbprintOverHttp", "CertificateThumbprint needs an https Endpoint, not http://127.0.0.1:6334/")]
    [InlineData("Name", "Name must not be empty")]
    public void Constructor_InvalidSetting_MessageNamesSettingAndValue(string setting, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => PoolTestContext.Create(o =>
        {
            switch (setting)
            {
                case "MaxSize": o.MaxSize = 0; break;
                case "MinSize": o.MinSize = -1; break;
                case "MaxLeasesPerConnection": o.MaxLeasesPerConnection = 0; break;
                case "AcquireTimeout": o.AcquireTimeout = TimeSpan.Zero; break;
                case "MaxRetryAttempts": o.MaxRetryAttempts = -1; break;
                case "CircuitBreakerFailureRatio": o.CircuitBreakerFailureRatio = 1.5; break;
                case "CircuitBreakerMinimumThroughput": o.CircuitBreakerMinimumThroughput = 1; break;
                case "CircuitBreakerBreakDuration": o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100); break;
                case "RetryMaxDelay": o.RetryBaseDelay = TimeSpan.FromSeconds(1); o.RetryMaxDelay = TimeSpan.FromMilliseconds(100); break;
                case "MaxReceiveMessageSize": o.MaxReceiveMessageSize = 0; break;
                case "LeakDetectionThreshold": o.LeakDetectionThreshold = TimeSpan.FromSeconds(-1); break;
                case "Endpoint": o.Endpoint = new Uri("ftp://example/"); break;
                case "CertificateThumbprint": o.Endpoint = new Uri("https://127.0.0.1:6334"); o.CertificateThumbprint = "abc"; break;
                case "ThumbprintOverHttp": o.CertificateThumbprint = new string('a', 64); break;
                case "Name": o.Name = " "; break;
            }
        }));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_PoolKeepsItsCopy()
    {
        var options = new QdrantConnectionPoolOptions { Endpoint = new Uri("http://127.0.0.1:6334"), MaxSize = 3 };
        var pool = new QdrantConnectionPool(options);
        options.MaxSize = 50;

        Assert.Equal(3, pool.GetStats().MaxSize);
        Assert.Equal(3, pool.Options.MaxSize);
    }
}
