using Microsoft.Extensions.Hosting;

namespace QdrantPool.Tests.Aspire;

public sealed class QdrantConnectionPoolPublicApiTests
{
    [Fact]
    public void AddQdrantConnectionPool_NullBuilder_ThrowsArgumentNullException()
    {
        IHostApplicationBuilder builder = null!;

        var ex = Assert.Throws<ArgumentNullException>(() => builder.AddQdrantConnectionPool("qdrant"));

        Assert.Equal("builder", ex.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AddQdrantConnectionPool_NullOrEmptyConnectionName_ThrowsNamingParameter(string? connectionName)
    {
        var builder = AspireTestHost.CreateBuilder();

        var ex = Assert.ThrowsAny<ArgumentException>(() => builder.AddQdrantConnectionPool(connectionName!));

        Assert.Equal("connectionName", ex.ParamName);
    }

    [Fact]
    public void AddKeyedQdrantConnectionPool_NullBuilder_ThrowsArgumentNullException()
    {
        IHostApplicationBuilder builder = null!;

        var ex = Assert.Throws<ArgumentNullException>(() => builder.AddKeyedQdrantConnectionPool("qdrant"));

        Assert.Equal("builder", ex.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AddKeyedQdrantConnectionPool_NullOrEmptyName_ThrowsNamingParameter(string? name)
    {
        var builder = AspireTestHost.CreateBuilder();

        var ex = Assert.ThrowsAny<ArgumentException>(() => builder.AddKeyedQdrantConnectionPool(name!));

        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void AddQdrantConnectionPool_NullName_ThrowsArgumentNullExceptionNotItsBase()
    {
        var builder = AspireTestHost.CreateBuilder();

        Assert.Throws<ArgumentNullException>(() => builder.AddQdrantConnectionPool(null!));
        Assert.Throws<ArgumentException>(() => builder.AddQdrantConnectionPool(string.Empty));
    }

    [Fact]
    public void PublicSurface_IntegrationTypes_AreOnlyExtensionsAndSettings()
    {
        var aspireTypes = typeof(QdrantConnectionPoolSettings).Assembly.GetExportedTypes()
            .Where(type => type.Namespace == "Microsoft.Extensions.Hosting" || type.Name.EndsWith("Settings", StringComparison.Ordinal))
            .Select(type => type.FullName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["Microsoft.Extensions.Hosting.QdrantConnectionPoolExtensions", "QdrantPool.QdrantConnectionPoolSettings"], aspireTypes);
        Assert.True(typeof(QdrantConnectionPoolSettings).IsSealed);
    }
}
