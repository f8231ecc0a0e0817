using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using QdrantPool.Tests.Aspire;

namespace QdrantPool.Tests.ServiceDefaults;

/// <summary>
/// The Python service's environment variables, a configuration source of ServiceDefaults (moved out of QdrantPool):
/// they override the pool's shared section and yield to the named one, the connection string and the delegate.
/// </summary>
public sealed class ClaudeRagEnvironmentAliasesTests
{
    [Fact]
    public void AddBasicServiceDefaults_AliasSet_ThePoolSeesIt()
    {
        var builder = AspireTestHost.CreateBuilder(("CLAUDE_RAG_QDRANT_POOL_SIZE", "9"));
        builder.AddBasicServiceDefaults();

        Assert.Equal(9, CaptureSettings(builder).MaxSize);
    }

    [Fact]
    public void AddServiceDefaults_AliasSet_ThePoolSeesIt()
    {
        var builder = AspireTestHost.CreateBuilder(("CLAUDE_RAG_QDRANT_POOL_MIN_SIZE", "3"));
        builder.AddServiceDefaults();

        Assert.Equal(3, CaptureSettings(builder).MinSize);
    }

    [Fact]
    public void AddQdrantConnectionPool_WithoutServiceDefaults_IgnoresTheAliases()
    {
        var builder = AspireTestHost.CreateBuilder(("CLAUDE_RAG_QDRANT_POOL_SIZE", "9"));

        Assert.Equal(5, CaptureSettings(builder).MaxSize);
    }

    [Fact]
    public void AddClaudeRagEnvironmentAliases_NoAlias_AddsNoSource()
    {
        var builder = AspireTestHost.CreateBuilder(("Unrelated", "1"));
        var sources = builder.Configuration.Sources.Count;

        builder.Configuration.AddClaudeRagEnvironmentAliases(builder.Configuration);

        Assert.Equal(sources, builder.Configuration.Sources.Count);
    }

    private static QdrantConnectionPoolSettings Bind(string connectionName, params (string Key, string? Value)[] configuration)
    {
        var builder = AspireTestHost.CreateBuilder(configuration);
        builder.Configuration.AddClaudeRagEnvironmentAliases(builder.Configuration);
        return CaptureSettings(builder, connectionName);
    }

    private static QdrantConnectionPoolSettings CaptureSettings(HostApplicationBuilder builder, string connectionName = "qdrant")
    {
        QdrantConnectionPoolSettings? bound = null;
        builder.AddQdrantConnectionPool(connectionName, settings => bound = settings);
        return bound ?? throw new InvalidOperationException("The configure delegate was not called.");
    }

    [Fact]
    public void Alias_PoolSize_SetsMaxSize()
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_POOL_SIZE", "9"));

        Assert.Equal(9, settings.MaxSize);
    }

    [Fact]
    public void Alias_PoolMinSize_SetsMinSize()
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_POOL_MIN_SIZE", "3"));

        Assert.Equal(3, settings.MinSize);
    }

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("2.5", 2_500)]
    [InlineData("0.25", 250)]
    public void Alias_PoolTimeout_SetsAcquireTimeoutInSeconds(string value, int expectedMilliseconds)
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", value));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), settings.AcquireTimeout);
    }

    [Fact]
    public void Alias_PoolRecycle_SetsConnectionLifetimeInSeconds()
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_POOL_RECYCLE", "1800"));

        Assert.Equal(TimeSpan.FromMinutes(30), settings.ConnectionLifetime);
    }

    [Fact]
    public void Alias_HealthCheckInterval_SetsIntervalInSeconds()
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_HEALTH_CHECK_INTERVAL", "15.5"));

        Assert.Equal(TimeSpan.FromSeconds(15.5), settings.HealthCheckInterval);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("1")]
    [InlineData("no")]
    public void Alias_PreferGrpc_AcceptedWithoutChangingSettings(string value)
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_PREFER_GRPC", value));

        Assert.Equal(5, settings.MaxSize);
        Assert.Null(settings.Endpoint);
    }

    [Fact]
    public void Alias_EmptyValue_CountsAsUnset()
    {
        var settings = Bind("qdrant", ("CLAUDE_RAG_QDRANT_POOL_SIZE", " "), ("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", ""));

        Assert.Equal(5, settings.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AcquireTimeout);
    }

    [Fact]
    public void Alias_AliasAndSharedSection_AliasWins()
    {
        var settings = Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:MaxSize", "8"),
            ("CLAUDE_RAG_QDRANT_POOL_SIZE", "9"));

        Assert.Equal(9, settings.MaxSize);
    }

    [Fact]
    public void Alias_AliasAndNamedSection_NamedSectionWins()
    {
        var settings = Bind(
            "qdrant",
            ("CLAUDE_RAG_QDRANT_POOL_SIZE", "9"),
            ("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", "2.5"),
            ("Aspire:Qdrant:Pool:qdrant:MaxSize", "12"));

        Assert.Equal(12, settings.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.AcquireTimeout);
    }

    [Fact]
    public void Alias_AliasAndDelegate_DelegateWins()
    {
        QdrantConnectionPoolSettings? seen = null;
        var builder = AspireTestHost.CreateBuilder(("CLAUDE_RAG_QDRANT_POOL_MIN_SIZE", "3"));
        builder.Configuration.AddClaudeRagEnvironmentAliases(builder.Configuration);
        builder.AddQdrantConnectionPool("qdrant", settings =>
            {
                settings.MinSize = 0;
                seen = settings;
            });

        Assert.Equal(0, seen?.MinSize);
    }

    [Theory]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_SIZE", "five", "MaxSize")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_SIZE", "2.5", "MaxSize")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_MIN_SIZE", "-1", "MinSize")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", "10s", "AcquireTimeout")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", "-2", "AcquireTimeout")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_RECYCLE", "NaN", "ConnectionLifetime")]
    [InlineData("CLAUDE_RAG_QDRANT_HEALTH_CHECK_INTERVAL", "1e400", "HealthCheckInterval")]
    [InlineData("CLAUDE_RAG_QDRANT_PREFER_GRPC", "maybe", "boolean")]

    // Readable numbers the pool would reject later, naming only the setting: caught here, naming the variable.
    [InlineData("CLAUDE_RAG_QDRANT_POOL_SIZE", "0", "MaxSize: expected a whole number of 1 or more")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", "0", "AcquireTimeout: expected a number of seconds above 0 and at most 86400")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_TIMEOUT", "1e10", "AcquireTimeout: expected a number of seconds above 0 and at most 86400")]
    [InlineData("CLAUDE_RAG_QDRANT_POOL_RECYCLE", "0", "ConnectionLifetime: expected a number of seconds above 0,")]
    [InlineData("CLAUDE_RAG_QDRANT_HEALTH_CHECK_INTERVAL", "0", "HealthCheckInterval")]
    public void Alias_BadValue_ThrowsNamingVariableAndValue(string variable, string value, string setting)
    {
        var builder = AspireTestHost.CreateBuilder((variable, value));

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddBasicServiceDefaults());

        Assert.Contains($"{variable}='{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }
}
