using Microsoft.Extensions.Time.Testing;

namespace AppHost.Tests;

public sealed class QdrantModeResolverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);
    private const string Connection = "Endpoint=http://localhost:6334;Key=k";

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task DecideAsync_AutoAndRuntimeAnswers_ChoosesContainer()
    {
        var probe = FakeContainerRuntimeProbe.Answers("podman");

        var decision = await CreateSut(probe).DecideAsync(QdrantMode.Auto, null).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Container, decision.Mode);
        Assert.Equal("podman", decision.ContainerRuntime);
        Assert.Contains("podman answered", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_AutoAndRuntimeFails_ChoosesEmulatorAndSaysWhy()
    {
        var decision = await CreateSut(FakeContainerRuntimeProbe.Fails()).DecideAsync(QdrantMode.Auto, null).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Emulator, decision.Mode);
        Assert.Null(decision.ContainerRuntime);
        Assert.Contains("Cannot connect to the Docker daemon", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_AutoAndProbeThrows_ChoosesEmulator()
    {
        var decision = await CreateSut(FakeContainerRuntimeProbe.Throws()).DecideAsync(QdrantMode.Auto, null).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Emulator, decision.Mode);
        Assert.Contains("socket broke", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_AutoAndProbeHangs_ChoosesEmulatorAtTheBoundAndCancelsTheProbe()
    {
        var probe = FakeContainerRuntimeProbe.Hangs();

        var deciding = CreateSut(probe).DecideAsync(QdrantMode.Auto, null);
        _time.Advance(Bound - TimeSpan.FromMilliseconds(1));
        Assert.False(deciding.IsCompleted, "The decision must wait for the probe until its bound.");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var decision = await deciding.WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Emulator, decision.Mode);
        Assert.Contains("within 4 s", decision.Reason, StringComparison.Ordinal);
        Assert.True(probe.WasCancelled, "A hung probe must be cancelled, not left running.");
    }

    [Fact]
    public async Task DecideAsync_AutoWithRealClockAndHangingProbe_ReturnsWithinTheBound()
    {
        var sut = new QdrantModeResolver(FakeContainerRuntimeProbe.Hangs(), TimeProvider.System, TimeSpan.FromMilliseconds(200));
        var started = TimeProvider.System.GetTimestamp();

        var decision = await sut.DecideAsync(QdrantMode.Auto, null).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Emulator, decision.Mode);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("answers")]
    [InlineData("fails")]
    [InlineData("hangs")]
    public async Task DecideAsync_ExplicitEmulator_WinsWithoutAskingTheRuntime(string behaviour)
    {
        var probe = Probe(behaviour);

        var decision = await CreateSut(probe).DecideAsync(QdrantMode.Emulator, Connection).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Emulator, decision.Mode);
        Assert.Equal(0, probe.Calls);
    }

    [Theory]
    [InlineData("answers")]
    [InlineData("fails")]
    public async Task DecideAsync_ExplicitExternalWithConnectionString_WinsWithoutAskingTheRuntime(string behaviour)
    {
        var probe = Probe(behaviour);

        var decision = await CreateSut(probe).DecideAsync(QdrantMode.External, Connection).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.External, decision.Mode);
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public async Task DecideAsync_ExplicitContainerAndRuntimeAnswers_ChoosesContainer()
    {
        var decision = await CreateSut(FakeContainerRuntimeProbe.Answers()).DecideAsync(QdrantMode.Container, null).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Container, decision.Mode);
        Assert.Equal("docker", decision.ContainerRuntime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task DecideAsync_ExternalWithoutConnectionString_ThrowsNamingTheSetting(string? connectionString)
    {
        var probe = FakeContainerRuntimeProbe.Answers();

        var error = await Assert.ThrowsAsync<QdrantConfigurationException>(
            () => CreateSut(probe).DecideAsync(QdrantMode.External, connectionString).WaitAsync(TestTimeout));

        Assert.Contains("ConnectionStrings:qdrant", error.Message, StringComparison.Ordinal);
        Assert.Contains("Qdrant:Mode", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public async Task DecideAsync_ExternalWithoutConnectionString_NamesTheResourcesOwnKey()
    {
        var sut = new QdrantModeResolver(FakeContainerRuntimeProbe.Answers(), _time, Bound, connectionName: "vectors");

        var error = await Assert.ThrowsAsync<QdrantConfigurationException>(
            () => sut.DecideAsync(QdrantMode.External, null).WaitAsync(TestTimeout));

        Assert.Contains("ConnectionStrings:vectors is not set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionStrings:qdrant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_ContainerAndRuntimeFails_ThrowsInsteadOfFallingBack()
    {
        var error = await Assert.ThrowsAsync<QdrantConfigurationException>(
            () => CreateSut(FakeContainerRuntimeProbe.Fails()).DecideAsync(QdrantMode.Container, null).WaitAsync(TestTimeout));

        Assert.Contains("Qdrant:Mode is Container", error.Message, StringComparison.Ordinal);
        Assert.Contains("Start Docker or Podman", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot connect to the Docker daemon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_ContainerAndProbeHangs_ThrowsAtTheBound()
    {
        var deciding = CreateSut(FakeContainerRuntimeProbe.Hangs()).DecideAsync(QdrantMode.Container, null);
        Assert.False(deciding.IsCompleted);

        _time.Advance(Bound);

        var error = await Assert.ThrowsAsync<QdrantConfigurationException>(() => deciding.WaitAsync(TestTimeout));
        Assert.Contains("within 4 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_ContainerWithRuntimeCheckOff_DoesNotAskTheRuntime()
    {
        var probe = FakeContainerRuntimeProbe.Fails();

        var decision = await CreateSut(probe).DecideAsync(QdrantMode.Container, null, checkContainerRuntime: false).WaitAsync(TestTimeout);

        Assert.Equal(QdrantMode.Container, decision.Mode);
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public async Task DecideAsync_CallerCancels_PropagatesCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var deciding = CreateSut(FakeContainerRuntimeProbe.Hangs()).DecideAsync(QdrantMode.Auto, null, cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deciding.WaitAsync(TestTimeout));
    }

    [Theory]
    [InlineData(null, QdrantMode.Auto)]
    [InlineData("", QdrantMode.Auto)]
    [InlineData("auto", QdrantMode.Auto)]
    [InlineData("Container", QdrantMode.Container)]
    [InlineData("EMULATOR", QdrantMode.Emulator)]
    [InlineData(" External ", QdrantMode.External)]
    public void ParseMode_KnownValue_ReturnsMode(string? configured, QdrantMode expected) =>
        Assert.Equal(expected, QdrantModeResolver.ParseMode(configured));

    [Theory]
    [InlineData("Docker")]
    [InlineData("7")]
    public void ParseMode_UnknownValue_ThrowsNamingTheValue(string configured)
    {
        var error = Assert.Throws<QdrantConfigurationException>(() => QdrantModeResolver.ParseMode(configured));

        Assert.Contains($"'{configured}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auto, Container, Emulator or External", error.Message, StringComparison.Ordinal);
    }

    private QdrantModeResolver CreateSut(IContainerRuntimeProbe probe) => new(probe, _time, Bound);

    private static FakeContainerRuntimeProbe Probe(string behaviour) => behaviour switch
    {
        "answers" => FakeContainerRuntimeProbe.Answers(),
        "fails" => FakeContainerRuntimeProbe.Fails(),
        _ => FakeContainerRuntimeProbe.Hangs(),
    };
}
