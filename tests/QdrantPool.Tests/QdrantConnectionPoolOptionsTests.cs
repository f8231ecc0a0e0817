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
        Assert.Equal(TimeSpan.FromSeconds(60), options.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAlivePingTimeout);
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
    [InlineData("MaxSize", "MaxSize (0) must be between 1 and 1024")]
    [InlineData("MinSize", "MinSize (-1) must be at least 0")]
    [InlineData("MaxLeasesPerConnection", "MaxLeasesPerConnection (0) must be between 1 and 1024")]
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

    // Each of these used to pass validation and fail later with a message naming no setting: an OutOfMemoryException
    // at construction or first open, a timer's or SocketsHttpHandler's ArgumentOutOfRangeException on acquire or
    // dispose, or Polly's ValidationException naming its own option.
    [Theory]
    [InlineData("MaxSize", "MaxSize (2147483647) must be between 1 and 1024")]
    [InlineData("MaxLeasesPerConnection", "MaxLeasesPerConnection (2147483647) must be between 1 and 1024")]
    [InlineData("AcquireTimeout", "AcquireTimeout (10.00:00:00) must not exceed 1.00:00:00 (in configuration a bare number is days")]
    [InlineData("MediumHealthCheckTimeout", "MediumHealthCheckTimeout (2.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("DeepHealthCheckTimeout", "DeepHealthCheckTimeout (2.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("DisposeDrainTimeout", "DisposeDrainTimeout (100.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("RetryMaxDelay", "RetryMaxDelay (2.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("CircuitBreakerSamplingDuration", "CircuitBreakerSamplingDuration (2.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("CircuitBreakerBreakDuration", "CircuitBreakerBreakDuration (5.00:00:00) must not exceed 1.00:00:00")]
    [InlineData("GrpcTimeout", "GrpcTimeout (10675199.02:48:05.4775807) must not exceed 1.00:00:00")]
    [InlineData("KeepAlivePingDelay", "KeepAlivePingDelay (00:00:00.5000000) must be at least 00:00:01")]
    [InlineData("KeepAlivePingTimeout", "KeepAlivePingTimeout (00:00:00.5000000) must be at least 00:00:01")]
    public void Constructor_SettingPastWhatTheRuntimeAccepts_MessageNamesSettingAndValue(string setting, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => PoolTestContext.Create(o =>
        {
            switch (setting)
            {
                case "MaxSize": o.MaxSize = int.MaxValue; break;
                case "MaxLeasesPerConnection": o.MaxLeasesPerConnection = int.MaxValue; break;
                case "AcquireTimeout": o.AcquireTimeout = TimeSpan.FromDays(10); break;
                case "MediumHealthCheckTimeout": o.MediumHealthCheckTimeout = TimeSpan.FromDays(2); break;
                case "DeepHealthCheckTimeout": o.DeepHealthCheckTimeout = TimeSpan.FromDays(2); break;
                case "DisposeDrainTimeout": o.DisposeDrainTimeout = TimeSpan.FromDays(100); break;
                case "RetryMaxDelay": o.RetryMaxDelay = TimeSpan.FromDays(2); break;
                case "CircuitBreakerSamplingDuration": o.CircuitBreakerSamplingDuration = TimeSpan.FromDays(2); break;
                case "CircuitBreakerBreakDuration": o.CircuitBreakerBreakDuration = TimeSpan.FromDays(5); break;
                case "GrpcTimeout": o.GrpcTimeout = TimeSpan.MaxValue; break;
                case "KeepAlivePingDelay": o.KeepAlivePingDelay = TimeSpan.FromMilliseconds(500); break;
                case "KeepAlivePingTimeout": o.KeepAlivePingTimeout = TimeSpan.FromMilliseconds(500); break;
            }
        }));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Constructor_EveryBoundAtItsLimit_Accepted()
    {
        await using var pool = new QdrantConnectionPool(new QdrantConnectionPoolOptions
        {
            Endpoint = new Uri("http://127.0.0.1:6334"),
            MaxSize = 1024,
            MaxLeasesPerConnection = 1024,
            AcquireTimeout = TimeSpan.FromDays(1),
            MediumHealthCheckTimeout = TimeSpan.FromDays(1),
            DeepHealthCheckTimeout = TimeSpan.FromDays(1),
            DisposeDrainTimeout = TimeSpan.FromDays(1),
            RetryBaseDelay = TimeSpan.FromDays(1),
            RetryMaxDelay = TimeSpan.FromDays(1),
            CircuitBreakerSamplingDuration = TimeSpan.FromDays(1),
            CircuitBreakerBreakDuration = TimeSpan.FromDays(1),
            GrpcTimeout = TimeSpan.FromDays(1),
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
            ConnectionLifetime = TimeSpan.MaxValue,
            IdleTimeout = TimeSpan.MaxValue,
            HealthCheckInterval = TimeSpan.MaxValue,
            LeakDetectionThreshold = TimeSpan.MaxValue,
        });

        Assert.Equal(1024, pool.GetStats().MaxSize);
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
