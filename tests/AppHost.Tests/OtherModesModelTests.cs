namespace AppHost.Tests;

/// <summary>The Emulator and External models, and the errors of an explicit mode that cannot be honoured.</summary>
public sealed class OtherModesModelTests
{
    [Fact]
    public async Task Qdrant_EmulatorMode_RunsTheEmulatorProjectWithQdrantSettings()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"qdrant-emulator-model-{Guid.NewGuid():N}");
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator", $"--Qdrant:Emulator:DataPath={dataPath}");

        var emulator = builder.Single<ProjectResource>("qdrant-emulator");
        var environment = await builder.EnvironmentAsync(emulator);

        Assert.Equal("127.0.0.1", environment["QDRANT__SERVICE__HOST"]);
        Assert.Equal(dataPath, environment["QDRANT__STORAGE__STORAGE_PATH"]);
        Assert.Equal("{qdrant-Key.value}", ModelInspection.Expression(environment["QDRANT__SERVICE__API_KEY"]));

        var grpc = emulator.Endpoint("grpc");
        Assert.Equal("http2", grpc.Transport);
        Assert.Equal("http", emulator.Endpoint("http").UriScheme);
        // The emulator's Kestrel listens where these say (it ignores ASPNETCORE_URLS).
        Assert.Contains("QDRANT__SERVICE__GRPC_PORT", environment.Keys);
        Assert.Contains("QDRANT__SERVICE__HTTP_PORT", environment.Keys);
        Assert.DoesNotContain(builder.Resources, r => r is ContainerResource);
    }

    [Fact]
    public async Task Qdrant_EmulatorMode_EndpointsAreNotProxied()
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var emulator = builder.Single<ProjectResource>("qdrant-emulator");

        // Through the orchestrator's proxy the pool's sockets and a benchmark's latencies would be the proxy's.
        Assert.False(emulator.Endpoint("grpc").IsProxied);
        Assert.False(emulator.Endpoint("http").IsProxied);
    }

    [Theory]
    [InlineData("qdrant-emulator")]
    [InlineData("memoryservice")]
    [InlineData("poolworker")]
    public async Task Project_EmulatorMode_NeedsNoDeveloperCertificate(string name)
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var project = builder.Single<ProjectResource>(name);

        // A project with a certificate callback makes the dashboard warn on every page when no developer certificate is
        // trusted; WithoutHttpsCertificate() leaves the callback but marks it unused (no developer certificate, none given).
        Assert.All(project.Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.NotEqual("https", endpoint.UriScheme));
        Assert.True(
            !project.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any()
            || project.Annotations.OfType<HttpsCertificateAnnotation>().LastOrDefault() is { UseDeveloperCertificate: not true, Certificate: null },
            $"{name} still asks for a developer certificate.");
    }

    [Fact]
    public async Task Qdrant_EmulatorMode_ConnectionStringHasTheContainerShape()
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var qdrant = builder.Single<IResourceWithConnectionString>("qdrant");

        Assert.Equal("Endpoint={qdrant-emulator.bindings.grpc.url};Key={qdrant-Key.value}", qdrant.ConnectionStringExpression.ValueExpression);
        Assert.Contains(qdrant.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "qdrant_qdrant_check");
        var memoryEnvironment = await builder.EnvironmentAsync(builder.Single<ProjectResource>("memoryservice"));
        Assert.Equal("Endpoint={qdrant-emulator.bindings.http.url};Key={qdrant-Key.value}", ModelInspection.Expression(memoryEnvironment["ConnectionStrings__qdrant_http"]));
    }

    [Fact]
    public void ResolveDataPath_NotConfigured_IsUnderTheAppHostStorageFolder()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        var path = QdrantEmulatorBuilderExtensions.ResolveDataPath(builder);

        Assert.Equal(Path.Combine(builder.AppHostDirectory, "storage", "qdrant-emulator"), path);
    }

    [Fact]
    public async Task Qdrant_ExternalMode_PassesTheConfiguredConnectionStringThrough()
    {
        const string External = "Endpoint=http://127.0.0.1:6334;Key=external-key";
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=External", $"--ConnectionStrings:qdrant={External}");

        var qdrant = builder.Single<IResourceWithConnectionString>("qdrant");

        Assert.Equal(External, await qdrant.GetConnectionStringAsync().AsTask().WaitAsync(ModelInspection.Timeout));
        Assert.DoesNotContain(builder.Resources, r => r is ContainerResource || r.Name == "qdrant-emulator");
    }

    [Fact]
    public async Task AppHost_ExternalWithoutConnectionString_StopsWithWhatToSet()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelInspection.CreateModelAsync("--Qdrant:Mode=External"));

        var cause = Assert.IsType<QdrantConfigurationException>(Innermost(error));
        Assert.Contains("ConnectionStrings:qdrant", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHost_UnknownMode_StopsNamingTheValue()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelInspection.CreateModelAsync("--Qdrant:Mode=Kubernetes"));

        var cause = Assert.IsType<QdrantConfigurationException>(Innermost(error));
        Assert.Contains("'Kubernetes'", cause.Message, StringComparison.Ordinal);
    }

    private static Exception Innermost(Exception error)
    {
        var current = error;
        for (var depth = 0; depth < 10 && current.InnerException is not null; depth++)
        {
            current = current.InnerException;
        }

        return current;
    }
}
