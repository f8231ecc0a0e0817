namespace AppHost.Tests;

public sealed class CommandLineContainerRuntimeProbeTests
{
    [Fact]
    public async Task ProbeAsync_RuntimeNotInstalled_ReportsUnavailableWithEachRuntime()
    {
        var sut = new CommandLineContainerRuntimeProbe(["no-such-runtime-a", "no-such-runtime-b"]);

        var result = await sut.ProbeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(result.IsAvailable);
        Assert.Equal("no-such-runtime-a: not installed; no-such-runtime-b: not installed", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_CommandFails_ReportsUnavailable()
    {
        // `false` ignores its arguments and exits 1: a runtime CLI whose daemon is down looks the same.
        var sut = new CommandLineContainerRuntimeProbe(["false"]);

        var result = await sut.ProbeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(result.IsAvailable);
        Assert.StartsWith("false: ", result.Detail, StringComparison.Ordinal);
    }
}
