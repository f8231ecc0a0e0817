using PoolWorker.Hosting;

namespace PoolWorker.Tests.Hosting;

/// <summary>The restart handshake by which the AppHost restarts Qdrant for the recovery scenario.</summary>
public sealed class CallerRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void TakeRestarter_NobodyArmed_ReturnsNullSoTheScenarioIsSkipped()
    {
        var restart = new CallerRestart();

        Assert.Null(restart.TakeRestarter());
        Assert.Null(restart.SkipReason);
        Assert.Equal("idle", restart.State.Phase);
    }

    [Fact]
    public void TakeRestarter_ArmedWithASkipReason_ReturnsNullAndKeepsTheReasonForTheReport()
    {
        var restart = new CallerRestart();

        restart.Arm(description: null, skipReason: "Qdrant:Mode=External");

        Assert.Equal("Qdrant:Mode=External", restart.SkipReason);
        Assert.Null(restart.TakeRestarter());
        Assert.Null(restart.SkipReason);
    }

    [Fact]
    public async Task RestartAsync_Armed_WaitsUntilTheCallerSaysDone()
    {
        var restart = new CallerRestart();
        restart.Arm("the AppHost stops and starts 'qdrant-emulator'", skipReason: null);
        Assert.Equal("armed", restart.State.Phase);

        var restarter = Assert.IsAssignableFrom<PoolWorker.Benchmark.Recovery.IServerRestarter>(restart.TakeRestarter());
        Assert.Equal("idle", restart.State.Phase);
        Assert.Null(restart.TakeRestarter());

        var restarting = restarter.RestartAsync(CancellationToken.None);
        Assert.Equal("requested", restart.State.Phase);
        Assert.NotNull(restart.State.RequestedAt);
        Assert.False(restarting.IsCompleted);

        Assert.True(restart.Complete(error: null));
        await restarting.WaitAsync(Patience);
        Assert.Equal("idle", restart.State.Phase);
        Assert.False(restart.Complete(error: null));
    }

    [Fact]
    public async Task RestartAsync_CallerReportsAnError_FailsWithIt()
    {
        var restart = new CallerRestart();
        restart.Arm("the AppHost stops and starts 'qdrant-emulator'", skipReason: null);
        var restarter = restart.TakeRestarter()!;

        var restarting = restarter.RestartAsync(CancellationToken.None);
        restart.Complete("'qdrant-emulator' came back on another port");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => restarting.WaitAsync(Patience));
        Assert.Contains("came back on another port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartAsync_Cancelled_StopsWaiting()
    {
        var restart = new CallerRestart();
        restart.Arm("the AppHost stops and starts 'qdrant-emulator'", skipReason: null);
        using var cancellation = new CancellationTokenSource();

        var restarting = restart.TakeRestarter()!.RestartAsync(cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => restarting.WaitAsync(Patience));
        Assert.Equal("idle", restart.State.Phase);
        Assert.False(restart.Complete(error: null));
    }
}
