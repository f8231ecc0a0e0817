using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AppHost.Tests;

/// <summary>The public hosting extension used on its own, outside the Qdrant:Mode wiring.</summary>
public sealed class QdrantBuilderExtensionsTests
{
    [Fact]
    public void AddQdrant_OnItsOwn_AttachesTheAuthenticatedHealthCheckOnce()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        var qdrant = builder.AddQdrant("vectors");

        // WaitFor on a plain AddQdrant must mean "answers with the key", as it does through Qdrant:Mode.
        var annotation = Assert.Single(qdrant.Resource.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("vectors_qdrant_check", annotation.Key);
        using var services = builder.Services.BuildServiceProvider();
        var registrations = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Single(registrations, r => r.Name == "vectors_qdrant_check");
    }

    [Fact]
    public async Task WithReference_QdrantServer_GivesTheGrpcAndHttpConnectionStrings()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var qdrant = builder.AddQdrant("vectors");

        var consumer = builder.AddContainer("consumer", "busybox").WithReference(qdrant);

        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, consumer.Resource, environment);
        foreach (var callback in consumer.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Equal(
            ["ConnectionStrings__vectors", "ConnectionStrings__vectors_http"],
            environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("{vectors.connectionString}", ModelInspection.Expression(environment["ConnectionStrings__vectors"]));
        Assert.Equal("Endpoint={vectors.bindings.http.url};Key={vectors-Key.value}", ModelInspection.Expression(environment["ConnectionStrings__vectors_http"]));
    }
}
