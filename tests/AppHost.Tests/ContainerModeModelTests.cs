namespace AppHost.Tests;

/// <summary>The Container-mode model, built without starting it (no container runtime needed).</summary>
public sealed class ContainerModeModelTests : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() =>
        // CheckContainerRuntime=false: this machine may have no Docker; the model is what is under test.
        _builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Container", "--Qdrant:CheckContainerRuntime=false");

    public async Task DisposeAsync() => await _builder.DisposeAsync();

    [Fact]
    public void Qdrant_ContainerMode_UsesTheQdrantImageAndTag()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        var image = Assert.Single(qdrant.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("qdrant/qdrant", image.Image);
        Assert.Equal("v1.20.0", image.Tag);
        Assert.Equal("docker.io", image.Registry);
    }

    [Fact]
    public async Task Qdrant_ContainerMode_PassesTheKeyParameterAsApiKey()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        var environment = await _builder.EnvironmentAsync(qdrant);

        var key = Assert.IsType<ParameterResource>(environment["QDRANT__SERVICE__API_KEY"]);
        Assert.Same(qdrant.ApiKeyParameter, key);
        Assert.Equal("qdrant-Key", key.Name);
        Assert.True(key.Secret);
    }

    [Fact]
    public void Qdrant_ContainerMode_ExposesGrpcOverHttp2AndRest()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        var grpc = qdrant.Endpoint("grpc");
        Assert.Equal(6334, grpc.TargetPort);
        Assert.Equal("http2", grpc.Transport);
        Assert.Equal("http", grpc.UriScheme);

        var http = qdrant.Endpoint("http");
        Assert.Equal(6333, http.TargetPort);
        Assert.Equal("http", http.UriScheme);
    }

    [Fact]
    public void Qdrant_ContainerMode_EndpointsAreNotProxied()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        Assert.False(qdrant.Endpoint("grpc").IsProxied);
        Assert.False(qdrant.Endpoint("http").IsProxied);
    }

    [Fact]
    public void Qdrant_ContainerMode_KeepsDataInAVolumeAtQdrantStorage()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        var mount = Assert.Single(qdrant.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("/qdrant/storage", mount.Target);
        Assert.Equal(ContainerMountType.Volume, mount.Type);
        Assert.False(mount.IsReadOnly);
    }

    [Fact]
    public void Qdrant_ContainerMode_ConnectionStringIsEndpointAndKey()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        Assert.Equal("Endpoint={qdrant.bindings.grpc.url};Key={qdrant-Key.value}", qdrant.ConnectionStringExpression.ValueExpression);
        Assert.Equal("Endpoint={qdrant.bindings.http.url};Key={qdrant-Key.value}", qdrant.HttpConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void Qdrant_ContainerMode_HasTheAuthenticatedHealthCheckAndNoEmulator()
    {
        var qdrant = _builder.Single<QdrantServerResource>("qdrant");

        // Exactly one: a second registration under the same name makes the health check service throw at start.
        Assert.Equal("qdrant_qdrant_check", Assert.Single(qdrant.Annotations.OfType<HealthCheckAnnotation>()).Key);
        Assert.DoesNotContain(_builder.Resources, r => r.Name == "qdrant-emulator");
    }

    [Theory]
    [InlineData("memoryservice")]
    [InlineData("poolworker")]
    public async Task Service_ContainerMode_ReferencesAndWaitsForQdrant(string name)
    {
        var service = _builder.Single<ProjectResource>(name);

        var environment = await _builder.EnvironmentAsync(service);

        Assert.Equal("{qdrant.connectionString}", ModelInspection.Expression(environment["ConnectionStrings__qdrant"]));
        Assert.Equal("Endpoint={qdrant.bindings.http.url};Key={qdrant-Key.value}", ModelInspection.Expression(environment["ConnectionStrings__qdrant_http"]));
        Assert.Contains(service.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "qdrant");
        Assert.Contains(service.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Contains(name, StringComparison.Ordinal));
    }
}
