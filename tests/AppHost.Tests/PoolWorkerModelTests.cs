namespace AppHost.Tests;

/// <summary>PoolWorker's place in the model: its steady-load setting, the route its report describes, its commands.</summary>
public sealed class PoolWorkerModelTests
{
    [Fact]
    public async Task PoolWorker_ByDefault_KeepsTheSteadyLoadOn()
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var environment = await builder.EnvironmentAsync(builder.Single<ProjectResource>("poolworker"));

        Assert.Equal("true", environment["PoolWorker__SteadyLoad__Enabled"]);
        Assert.DoesNotContain("PoolWorker__SteadyLoad__OperationsPerSecond", environment.Keys);
    }

    [Fact]
    public async Task PoolWorker_SteadyLoadSwitchedOffInTheAppHost_IsOffInPoolWorker()
    {
        await using var builder = await ModelInspection.CreateModelAsync(
            "--Qdrant:Mode=Emulator", "--PoolWorker:SteadyLoad=false", "--PoolWorker:SteadyLoadOperationsPerSecond=50");

        var environment = await builder.EnvironmentAsync(builder.Single<ProjectResource>("poolworker"));

        Assert.Equal("false", environment["PoolWorker__SteadyLoad__Enabled"]);
        Assert.Equal("50", environment["PoolWorker__SteadyLoad__OperationsPerSecond"]);
    }

    [Fact]
    public async Task PoolWorker_EmulatorMode_ReportSaysQdrantIsReachedDirectly()
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var environment = await builder.EnvironmentAsync(builder.Single<ProjectResource>("poolworker"));

        var note = Assert.IsType<string>(environment["PoolWorker__Benchmark__EndpointNote"]);
        Assert.Contains("'qdrant-emulator' directly", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolWorker_ExternalMode_ReportSaysTheAppHostDoesNotRunQdrant()
    {
        await using var builder = await ModelInspection.CreateModelAsync(
            "--Qdrant:Mode=External", "--ConnectionStrings:qdrant=Endpoint=http://localhost:6334;Key=k");

        var environment = await builder.EnvironmentAsync(builder.Single<ProjectResource>("poolworker"));

        Assert.Contains("Qdrant:Mode=External", Assert.IsType<string>(environment["PoolWorker__Benchmark__EndpointNote"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolWorker_HasTheBenchmarkAndRecoveryCommands()
    {
        await using var builder = await ModelInspection.CreateModelAsync("--Qdrant:Mode=Emulator");

        var commands = builder.Single<ProjectResource>("poolworker").Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).ToList();

        Assert.Contains(PoolWorkerCommands.RunBenchmarkCommandName, commands);
        Assert.Contains(PoolWorkerCommands.RunRecoveryCommandName, commands);
    }

    [Fact]
    public void BenchmarkRequest_LeavesUnsetFieldsToPoolWorker()
    {
        var body = PoolWorkerCommands.Request(new PoolWorkerBenchmarkSettings { Iterations = 50, DurationSeconds = 1.5 }, scenarios: "recovery");

        Assert.Equal(["durationSeconds", "iterations", "scenarios"], body.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(50, body["iterations"]);
        Assert.Equal(1.5, body["durationSeconds"]);
        Assert.Equal("recovery", body["scenarios"]);
    }
}
