using Microsoft.Extensions.Hosting;

namespace QdrantPool.Tests.Aspire;

/// <summary>Each configuration layer overrides the one before: shared section, named section, connection string, delegate.</summary>
public sealed class QdrantConnectionPoolBindingTests
{
    [Fact]
    public void Bind_EmptyConfiguration_KeepsDefaults()
    {
        var settings = AspireTestHost.Bind("qdrant");

        Assert.Null(settings.Endpoint);
        Assert.Equal(5, settings.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AcquireTimeout);
    }

    [Fact]
    public void Bind_SharedSection_OverridesDefaults()
    {
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:Endpoint", "http://shared:6334"),
            ("Aspire:Qdrant:Pool:MaxSize", "8"),
            ("Aspire:Qdrant:Pool:AcquireTimeout", "00:00:03"),
            ("Aspire:Qdrant:Pool:LeakDetectionThreshold", "00:00:30"),
            ("Aspire:Qdrant:Pool:DisableTracing", "true"));

        Assert.Equal(new Uri("http://shared:6334"), settings.Endpoint);
        Assert.Equal(8, settings.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.AcquireTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.LeakDetectionThreshold);
        Assert.True(settings.DisableTracing);
    }

    [Fact]
    public void Bind_NamedSection_OverridesSharedSection()
    {
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:Endpoint", "http://shared:6334"),
            ("Aspire:Qdrant:Pool:MaxSize", "8"),
            ("Aspire:Qdrant:Pool:MinSize", "2"),
            ("Aspire:Qdrant:Pool:qdrant:Endpoint", "http://named:6334"),
            ("Aspire:Qdrant:Pool:qdrant:MaxSize", "12"));

        Assert.Equal(new Uri("http://named:6334"), settings.Endpoint);
        Assert.Equal(12, settings.MaxSize);
        Assert.Equal(2, settings.MinSize);
    }

    [Fact]
    public void Bind_OtherNamedSection_IsIgnored()
    {
        var settings = AspireTestHost.Bind("qdrant", ("Aspire:Qdrant:Pool:other:MaxSize", "12"));

        Assert.Equal(5, settings.MaxSize);
    }

    [Fact]
    public void Bind_ConnectionString_OverridesNamedSectionEndpointAndKey()
    {
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:qdrant:Endpoint", "http://named:6334"),
            ("Aspire:Qdrant:Pool:qdrant:Key", "named-key"),
            ("ConnectionStrings:qdrant", "Endpoint=http://from-connection-string:6334;Key=cs-key"));

        Assert.Equal(new Uri("http://from-connection-string:6334"), settings.Endpoint);
        Assert.Equal("cs-key", settings.Key);
    }

    [Theory]
    [InlineData("http://localhost:6334")]
    [InlineData("https://qdrant.example.com:6334")]
    public void Bind_BareUriConnectionString_SetsEndpointAndKeepsKey(string connectionString)
    {
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:Key", "section-key"),
            ("ConnectionStrings:qdrant", connectionString));

        Assert.Equal(new Uri(connectionString), settings.Endpoint);
        Assert.Equal("section-key", settings.Key);
    }

    [Fact]
    public void Bind_ConnectionStringKeysAnyCase_AreRead()
    {
        var settings = AspireTestHost.Bind("qdrant", ("ConnectionStrings:qdrant", "endpoint=http://host:6334; key=abc"));

        Assert.Equal(new Uri("http://host:6334"), settings.Endpoint);
        Assert.Equal("abc", settings.Key);
    }

    [Fact]
    public void Bind_ConnectionStringBareEmptyKey_CountsAsNoKeyGiven()
    {
        // DbConnectionStringBuilder drops "Key=" altogether, so the section's key stands.
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:Key", "section-key"),
            ("ConnectionStrings:qdrant", "Endpoint=http://host:6334;Key="));

        Assert.Equal("section-key", settings.Key);
    }

    [Fact]
    public void Bind_ConnectionStringQuotedEmptyKey_ClearsKey()
    {
        var settings = AspireTestHost.Bind(
            "qdrant",
            ("Aspire:Qdrant:Pool:Key", "section-key"),
            ("ConnectionStrings:qdrant", "Endpoint=http://host:6334;Key=\"\""));

        Assert.Null(settings.Key);
    }

    [Fact]
    public void Bind_ConnectionStringOfOtherName_IsIgnored()
    {
        var settings = AspireTestHost.Bind("qdrant", ("ConnectionStrings:other", "Endpoint=http://other:6334"));

        Assert.Null(settings.Endpoint);
    }

    [Theory]
    [InlineData("Endpoint=not a uri;Key=k", "Endpoint='not a uri'")]
    [InlineData("Endpoint=ftp://host:6334", "Endpoint='ftp://host:6334'")]
    public void Bind_ConnectionStringEndpointInvalid_ThrowsNamingKeyAndValue(string connectionString, string expectedFragment)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => AspireTestHost.Bind("qdrant", ("ConnectionStrings:qdrant", connectionString)));

        Assert.Contains("ConnectionStrings:qdrant", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ConnectionStringMalformed_ThrowsNamingKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => AspireTestHost.Bind("qdrant", ("ConnectionStrings:qdrant", "Endpoint=\"unterminated")));

        Assert.Contains("ConnectionStrings:qdrant", ex.Message, StringComparison.Ordinal);
    }

    // Both parse as connection strings, so they used to be accepted and reported later as "no endpoint", pointing at
    // the very connection string that was set. The second puts a key after a bare URI, which only the keyed form allows.
    [Theory]
    [InlineData("Host=localhost;Port=6334", "host, port")]
    [InlineData("http://localhost:6334;Key=secret", "http://localhost:6334;key")]
    public void Bind_ConnectionStringWithNeitherEndpointNorKey_ThrowsNamingKeyAndTheKeysFound(string connectionString, string keysFound)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => AspireTestHost.Bind("qdrant", ("ConnectionStrings:qdrant", connectionString)));

        Assert.Contains("ConnectionStrings:qdrant has neither Endpoint nor Key", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"(found: {keysFound})", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_Delegate_RunsAfterConnectionString()
    {
        QdrantConnectionPoolSettings? seen = null;
        var builder = AspireTestHost.CreateBuilder(
            ("Aspire:Qdrant:Pool:qdrant:MaxSize", "12"),
            ("ConnectionStrings:qdrant", "Endpoint=http://from-connection-string:6334;Key=cs-key"));

        builder.AddQdrantConnectionPool("qdrant", settings =>
        {
            Assert.Equal(12, settings.MaxSize);
            Assert.Equal("cs-key", settings.Key);
            settings.Endpoint = new Uri("http://from-delegate:6334");
            settings.MaxSize = 3;
            seen = settings;
        });

        Assert.NotNull(seen);
        Assert.Equal(new Uri("http://from-delegate:6334"), seen.Endpoint);
        Assert.Equal(3, seen.MaxSize);
    }

    [Fact]
    public void Bind_SectionValueUnreadable_ThrowsAtRegistration()
    {
        var builder = AspireTestHost.CreateBuilder(("Aspire:Qdrant:Pool:MaxSize", "many"));

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddQdrantConnectionPool("qdrant"));

        Assert.Contains("MaxSize", ex.Message, StringComparison.Ordinal);
    }
}
