using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace QdrantPool.Tests.Aspire;

/// <summary>Builders for the integration's tests: configuration comes only from the given pairs.</summary>
internal static class AspireTestHost
{
    public const string Endpoint = "http://127.0.0.1:6334";

    // DisableDefaults keeps the machine's environment variables (a stray CLAUDE_RAG_* one) and appsettings out.
    public static HostApplicationBuilder CreateBuilder(params (string Key, string? Value)[] configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)));
        return builder;
    }

    /// <summary>A built host with two keyed pools, "primary" and "replica", on two loopback endpoints (nothing listens there).</summary>
    public static IHost BuildWithPrimaryAndReplica()
    {
        var builder = CreateBuilder(
            ("ConnectionStrings:primary", "Endpoint=http://127.0.0.1:6334"),
            ("ConnectionStrings:replica", "Endpoint=http://127.0.0.1:6335"));
        builder.AddKeyedQdrantConnectionPool("primary");
        builder.AddKeyedQdrantConnectionPool("replica");
        return builder.Build();
    }

    /// <summary>The settings as bound from configuration alone, captured by the (last-running) delegate.</summary>
    public static QdrantConnectionPoolSettings Bind(string connectionName, params (string Key, string? Value)[] configuration)
    {
        QdrantConnectionPoolSettings? bound = null;
        CreateBuilder(configuration).AddQdrantConnectionPool(connectionName, settings => bound = settings);
        return bound ?? throw new InvalidOperationException("The configure delegate was not called.");
    }
}
